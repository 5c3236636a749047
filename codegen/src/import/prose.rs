//! Limits, defaults, enums and time units that the vendor pages write in prose: `最大值50`,
//! `不超过1000个`, `长度为1~64个字节`, `默认值30`, `- **1**：迟到`, `单位毫秒`.
//!
//! Each parser reads a cell's text and says only what it found; `fields.rs` decides what a finding
//! means for a field of a given type.

/// What a number in prose measures, from the unit written after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// No unit: a value (or, on a list, a count).
    Plain,
    /// `个`, `条`, `人`, `项`, `列表长度`: a number of items.
    Items,
    /// `字节`: a length in UTF-8 bytes.
    Bytes,
    /// `字符`, `字`: a length in characters.
    Chars,
}

/// The limits found in one description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Lower bounds, with their unit.
    pub min: Vec<(i64, Unit)>,
    /// Upper bounds, with their unit.
    pub max: Vec<(i64, Unit)>,
    /// The documented default (`默认值30`, `默认为500`).
    pub default: Option<i64>,
}

impl Limits {
    /// The first lower bound of `unit`.
    pub fn min_of(&self, unit: Unit) -> Option<i64> {
        self.min.iter().find(|(_, u)| *u == unit).map(|(n, _)| *n)
    }
    /// The first upper bound of `unit`.
    pub fn max_of(&self, unit: Unit) -> Option<i64> {
        self.max.iter().find(|(_, u)| *u == unit).map(|(n, _)| *n)
    }
}

const MAX_WORDS: &[&str] = &[
    "最大值",
    "最大",
    "不超过",
    "不能超过",
    "不多于",
    "最多",
    "最长",
    "上限",
    "不大于",
    "至多",
    "小于等于",
    "长度",
];
const MIN_WORDS: &[&str] = &["最小值", "最小", "不少于", "至少", "不小于", "大于等于"];
const RANGE_WORDS: &[&str] = &["取值范围", "范围", "个数", "长度", "数量"];
const DEFAULT_WORDS: &[&str] = &["默认值", "默认"];
/// Units that make a number a time span or a rate, not a limit of the field itself.
const SKIP_UNITS: &[&str] = &[
    "天", "小时", "分钟", "秒", "毫秒", "年", "月", "周", "次", "%", "kb", "KB", "M", "MB", "px", "位",
];

/// Reads every limit written in `text`.
pub fn limits(text: &str) -> Limits {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Limits::default();
    let mut i = 0;
    while i < chars.len() {
        let Some((n, end)) = number_at(&chars, i) else {
            i += 1;
            continue;
        };
        let prefix = context_before(&chars, i);
        // A range `a ~ b`: both ends share the prefix, the unit comes after b.
        if let Some((b, b_end)) = range_tail(&chars, end) {
            let count = prefix.ends_with("个数") || prefix.ends_with("列表长度") || prefix.ends_with("数量");
            let unit = unit_after(&chars, b_end).map(|u| if count && u == Unit::Plain { Unit::Items } else { u });
            let ranged = ends_with_any(&prefix, RANGE_WORDS) || ends_with_any(&prefix, MAX_WORDS) || prefix.is_empty();
            if let (Some(unit), true) = (unit, ranged) {
                out.min.push((n, unit));
                out.max.push((b, unit));
            }
            i = b_end;
            continue;
        }
        let unit = unit_after(&chars, end);
        if let Some(unit) = unit {
            let list_length = prefix.ends_with("列表长度") || prefix.ends_with("个数");
            let unit = if list_length { Unit::Items } else { unit };
            if ends_with_any(&prefix, DEFAULT_WORDS) {
                out.default.get_or_insert(n);
            } else if ends_with_any(&prefix, MIN_WORDS) {
                out.min.push((n, unit));
            } else if ends_with_any(&prefix, MAX_WORDS)
                && !(prefix.ends_with("长度") && unit == Unit::Plain && !list_length)
            {
                out.max.push((n, unit));
            }
        }
        i = end;
    }
    out
}

/// `-12` or `34` starting at `i` (a `-` counts only before a digit and after a non-digit).
fn number_at(chars: &[char], i: usize) -> Option<(i64, usize)> {
    let start_digit = if chars[i] == '-' {
        let after_non_digit = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if !after_non_digit || !chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            return None;
        }
        i + 1
    } else if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric() && chars[i - 1] != '.') {
        i
    } else {
        return None;
    };
    let mut end = start_digit;
    while end < chars.len() && chars[end].is_ascii_digit() {
        end += 1;
    }
    // A decimal or a longer identifier is not a limit.
    if chars
        .get(end)
        .is_some_and(|c| *c == '.' && chars.get(end + 1).is_some_and(char::is_ascii_digit))
        || chars
            .get(end)
            .is_some_and(|c| c.is_ascii_alphabetic() && !is_unit_start(chars, end))
    {
        return None;
    }
    let s: String = chars[i..end].iter().collect();
    s.parse().ok().map(|n| (n, end))
}

fn is_unit_start(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
    rest.starts_with("kb") || rest.starts_with("KB") || rest.starts_with('M') || rest.starts_with("px")
}

/// Up to eight characters before `i`, with connecting words (`为`, `：`, spaces) trimmed off the end.
fn context_before(chars: &[char], i: usize) -> String {
    let from = i.saturating_sub(8);
    let s: String = chars[from..i].iter().collect();
    s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '为' | '是' | '：' | ':' | '(' | '（'))
        .to_owned()
}

/// `~ 64` (or `～`, `-`) after a number: the range's upper end.
fn range_tail(chars: &[char], end: usize) -> Option<(i64, usize)> {
    let mut j = end;
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    if !chars.get(j).is_some_and(|c| matches!(c, '~' | '～' | '-' | '至')) {
        return None;
    }
    j += 1;
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    if !chars.get(j).is_some_and(char::is_ascii_digit) {
        return None;
    }
    let mut k = j;
    while k < chars.len() && chars[k].is_ascii_digit() {
        k += 1;
    }
    let s: String = chars[j..k].iter().collect();
    s.parse().ok().map(|n| (n, k))
}

/// The unit after a number, or `None` when the unit makes it a time span or a rate.
fn unit_after(chars: &[char], end: usize) -> Option<Unit> {
    let rest: String = chars[end..chars.len().min(end + 4)].iter().collect();
    let rest = rest.trim_start();
    if rest.starts_with("个字节") || rest.starts_with("字节") || rest.starts_with("byte") {
        Some(Unit::Bytes)
    } else if rest.starts_with("个字符")
        || rest.starts_with("字符")
        || rest.starts_with("个字")
        || rest.starts_with('字')
    {
        Some(Unit::Chars)
    } else if SKIP_UNITS.iter().any(|u| rest.starts_with(u)) {
        None
    } else if ["个", "条", "人", "项", "名", "位"].iter().any(|u| rest.starts_with(u)) {
        Some(Unit::Items)
    } else {
        Some(Unit::Plain)
    }
}

fn ends_with_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.ends_with(w))
}

/// One documented value of an enum: the value as written and its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The value (`1`, `-1`, `CREATE`).
    pub value: String,
    /// What the page says it means.
    pub doc: String,
}

/// The values of an enum written as a list: `- **1**：迟到 - **2**：早退` (DingTalk, after cell
/// cleaning: `- 1：迟到 - 2：早退`), `1-迟到；2-早退` or `1 - 新增群的数量\n2 - 群总数` (WeCom),
/// `1迟交;0非迟交`. Fewer than two values, repeated values and `true`/`false` lists give nothing.
pub fn enum_values(text: &str) -> Vec<EnumValue> {
    let dashed = dash_list(text);
    let values = if dashed.len() >= 2 {
        dashed
    } else {
        separated_list(text)
    };
    let mut seen = std::collections::BTreeSet::new();
    let distinct = values.iter().all(|v| seen.insert(v.value.clone()));
    let boolean = values.iter().any(|v| v.value == "true" || v.value == "false");
    if values.len() < 2 || !distinct || boolean {
        return Vec::new();
    }
    values
}

/// `- V：doc - V：doc`, as DingTalk writes its lists.
fn dash_list(text: &str) -> Vec<EnumValue> {
    let mut out = Vec::new();
    let flat = text.replace('\n', " ");
    for piece in flat.split(" - ").skip(1) {
        let Some((value, doc)) = piece.split_once(['：', ':']) else {
            continue;
        };
        let value = value.trim();
        if value.is_empty()
            || value.contains(char::is_whitespace)
            || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            continue;
        }
        out.push(EnumValue {
            value: value.to_owned(),
            doc: tidy_doc(doc),
        });
    }
    out
}

/// `1-迟到；2-早退`, `1 - a\n2 - b`, `1迟交;0非迟交`, `0:普通;20:保密`.
fn separated_list(text: &str) -> Vec<EnumValue> {
    // The list is the part after the last `：` that introduces it, if the text has one.
    let body = text
        .rsplit_once(['：', ':'])
        .filter(|(_, after)| after.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '-'))
        .map_or(text, |(_, after)| after);
    // `0-按天 1-按小时`: a space before `N-` also separates values.
    let body = spaced_values(body);
    let mut out = Vec::new();
    for piece in body.split(['；', ';', '\n', '，', ',', '、', '。']) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        let digits_end = piece
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
            .map_or(piece.len(), |(i, _)| i);
        if digits_end == 0 || piece[..digits_end].parse::<i64>().is_err() {
            // Trailing text (`默认为1`) after a list ends it.
            if out.len() >= 2 {
                break;
            }
            out.clear();
            continue;
        }
        let doc = piece[digits_end..]
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | ':' | '：' | '.' | '、' | '='))
            .trim();
        if doc.is_empty() || doc.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        out.push(EnumValue {
            value: piece[..digits_end].to_owned(),
            doc: tidy_doc(doc),
        });
    }
    out
}

/// Puts a line break before each ` N-` (a space, digits, a dash), so `0-按天 1-按小时` splits.
fn spaced_values(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let digits = chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 && chars.get(i + 1 + digits) == Some(&'-') {
                out.push('\n');
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn tidy_doc(doc: &str) -> String {
    doc.trim()
        .trim_end_matches(['。', '；', ';', '，', ','])
        .trim()
        .to_owned()
}

/// How a time value is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Unix seconds.
    Seconds,
    /// Unix milliseconds.
    Millis,
    /// A `yyyy-MM-dd HH:mm:ss` string.
    DateTime,
}

/// The time unit a description states for a point in time (`Unix时间戳，单位毫秒`, `0点Unix时间戳`,
/// `格式为yyyy-MM-dd HH:mm:ss`), or `None`. Durations (`时长，单位：秒`) are not points in time.
pub fn time_unit(text: &str) -> Option<TimeUnit> {
    let lower = text.to_lowercase();
    if lower.contains("yyyy-mm-dd hh:mm:ss") {
        return Some(TimeUnit::DateTime);
    }
    let duration = [
        "时长",
        "耗时",
        "有效期",
        "有效时间",
        "过期时间",
        "秒数",
        "时间差",
        "距离0点",
    ]
    .iter()
    .any(|w| text.contains(w));
    if duration {
        return None;
    }
    let stamp = text.contains("时间戳") || lower.contains("timestamp");
    let time = stamp || text.contains("时间") || text.contains("日期");
    if text.contains("毫秒") && time {
        Some(TimeUnit::Millis)
    } else if stamp
        && (text.contains("单位秒") || text.contains("单位：秒") || text.contains("秒级") || !text.contains("毫秒"))
    {
        Some(TimeUnit::Seconds)
    } else {
        None
    }
}

/// The time unit an example value suggests: 13-digit integers are milliseconds, 10-digit ones
/// seconds (both within 2001..2286), and `2024-01-02 03:04:05` strings are date-times.
pub fn time_unit_of_example(value: &serde_json::Value) -> Option<TimeUnit> {
    match value {
        serde_json::Value::Number(n) => match n.as_i64()? {
            1_000_000_000..=9_999_999_999 => Some(TimeUnit::Seconds),
            1_000_000_000_000..=9_999_999_999_999 => Some(TimeUnit::Millis),
            _ => None,
        },
        serde_json::Value::String(s) => {
            let b = s.as_bytes();
            let shape =
                b.len() == 19 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' && b[16] == b':';
            shape.then_some(TimeUnit::DateTime)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxima_with_and_without_units() {
        assert_eq!(limits("每页数据量，最大值为20。").max_of(Unit::Plain), Some(20));
        assert_eq!(limits("分页大小，最大50。").max_of(Unit::Plain), Some(50));
        assert_eq!(limits("群主ID列表。最多100个").max_of(Unit::Items), Some(100));
        assert_eq!(
            limits("接收人userId列表，最大的列表长度为1000。").max_of(Unit::Items),
            Some(1000)
        );
        assert_eq!(limits("汇报表单id,不多于256字节").max_of(Unit::Bytes), Some(256));
        assert_eq!(
            limits("内容不能超过 1000 字符，超出的内容会被截断。").max_of(Unit::Chars),
            Some(1000)
        );
        assert_eq!(limits("不超过1000个").max_of(Unit::Items), Some(1000));
    }

    #[test]
    fn ranges_take_both_ends_and_their_unit() {
        let l = limits("成员名称。长度为1~64个字节");
        assert_eq!((l.min_of(Unit::Bytes), l.max_of(Unit::Bytes)), (Some(1), Some(64)));
        let l = limits("默认为500，取值范围 1 ~ 1000");
        assert_eq!(
            (l.min_of(Unit::Plain), l.max_of(Unit::Plain), l.default),
            (Some(1), Some(1000), Some(500))
        );
        let l = limits("可填充个数：1 ~ 100");
        assert_eq!((l.min_of(Unit::Items), l.max_of(Unit::Items)), (Some(1), Some(100)));
    }

    #[test]
    fn defaults_spans_and_plain_numbers_are_told_apart() {
        assert_eq!(limits("每页条目数，默认值30，最大值50。").default, Some(30));
        assert_eq!(limits("每页条目数，默认值30，最大值50。").max_of(Unit::Plain), Some(50));
        // A time span and a rate are not limits of the field.
        assert_eq!(limits("时间范围最大10天").max, vec![]);
        assert_eq!(limits("接口调用频率限制为100次/分钟").max, vec![]);
        // Numbers without a limit word are not limits.
        assert_eq!(limits("上级级别从1开始"), Limits::default());
        assert_eq!(limits("如传入1554296400会被转换"), Limits::default());
    }

    #[test]
    fn enum_lists_in_both_vendors_styles() {
        let v = enum_values("保密等级：   - 0：普通公告 - 20：保密公告");
        assert_eq!(
            v,
            vec![
                EnumValue {
                    value: "0".into(),
                    doc: "普通公告".into()
                },
                EnumValue {
                    value: "20".into(),
                    doc: "保密公告".into()
                }
            ]
        );
        let v = enum_values("校准状态类型：1-迟到；2-早退；3-缺卡；4-旷工");
        assert_eq!(
            v.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(),
            ["1", "2", "3", "4"]
        );
        assert_eq!(v[1].doc, "早退");
        let v = enum_values("排序方式。\n1 - 新增群的数量\n2 - 群总数\n\n默认为1");
        assert_eq!(
            v.iter().map(|v| v.doc.as_str()).collect::<Vec<_>>(),
            ["新增群的数量", "群总数"]
        );
        let v = enum_values("时长单位：0-按天 1-按小时");
        assert_eq!(v.iter().map(|v| v.doc.as_str()).collect::<Vec<_>>(), ["按天", "按小时"]);
        let v = enum_values("是否升序。0-否；1-是。默认降序");
        assert_eq!(v.iter().map(|v| v.doc.as_str()).collect::<Vec<_>>(), ["否", "是"]);
        let v = enum_values("是否迟交，1迟交;0非迟交");
        assert_eq!(v.len(), 2);
        assert!(enum_values("是否发送：   - true：发送 - false：不发送").is_empty());
        assert!(enum_values("开始时间").is_empty());
    }

    #[test]
    fn time_units_from_words_and_examples() {
        assert_eq!(
            time_unit("查询的日志创建的开始时间，Unix时间戳，单位毫秒。"),
            Some(TimeUnit::Millis)
        );
        assert_eq!(time_unit("截止时间，单位毫秒。"), Some(TimeUnit::Millis));
        assert_eq!(time_unit("获取日报的开始时间。0点Unix时间戳"), Some(TimeUnit::Seconds));
        assert_eq!(
            time_unit("开始时间，格式为yyyy-MM-dd HH:mm:ss"),
            Some(TimeUnit::DateTime)
        );
        assert_eq!(time_unit("当日假勤时长秒数"), None);
        assert_eq!(time_unit("上班时间，为距离0点的时间差"), None);
        assert_eq!(
            time_unit_of_example(&serde_json::json!(1606147200)),
            Some(TimeUnit::Seconds)
        );
        assert_eq!(
            time_unit_of_example(&serde_json::json!(1605437194000_i64)),
            Some(TimeUnit::Millis)
        );
        assert_eq!(
            time_unit_of_example(&serde_json::json!("2020-01-02 03:04:05")),
            Some(TimeUnit::DateTime)
        );
        assert_eq!(time_unit_of_example(&serde_json::json!(100)), None);
    }
}
