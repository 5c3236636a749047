//! A synthetic spec shaped like the real one, of any size, for benchmarks of the codegen and of
//! the generated crate's compile time.
//!
//! Each endpoint has what the real ones have: a body with ranged integers, a byte-limited string,
//! a limited list and an enum; a nested response with a list of objects; every third endpoint
//! pages by cursor; every endpoint carries a docs example. Endpoints are grouped 50 to a module,
//! as the vendors group theirs. The vendor is DingTalk's `vendor.yaml` shape under the name `synth`.

use std::fmt::Write;

/// Endpoints per module file.
pub const ENDPOINTS_PER_MODULE: usize = 50;

/// `(relative path, contents)` of every file of a spec folder holding `endpoints` endpoints plus
/// the token endpoint, in `synth/`.
pub fn spec_files(endpoints: usize) -> Vec<(String, String)> {
    let mut files = vec![("synth/vendor.yaml".to_owned(), VENDOR.to_owned())];
    let modules = endpoints.div_ceil(ENDPOINTS_PER_MODULE);
    for m in 0..modules {
        let first = m * ENDPOINTS_PER_MODULE;
        let count = ENDPOINTS_PER_MODULE.min(endpoints - first);
        files.push((format!("synth/m{m:03}.yaml"), module(m, first, count)));
    }
    files
}

/// The cargo features the synthetic spec needs, as lines of a `[features]` table.
pub fn features(endpoints: usize) -> String {
    let modules = endpoints.div_ceil(ENDPOINTS_PER_MODULE);
    let names: Vec<String> = (0..modules).map(|m| format!("\"synth-m{m:03}\"")).collect();
    let mut out = format!("synth = []\nsynth-all = [{}]\n", names.join(", "));
    for n in names {
        let _ = writeln!(out, "{} = [\"synth\"]", n.trim_matches('"'));
    }
    out
}

fn module(m: usize, first: usize, count: usize) -> String {
    let mut out = format!(
        "module: m{m:03}\ntitle: 合成模块 {m}\ndoc_url: https://example.invalid/m{m}\n\n\
         enums:\n  Status:\n    type: int32\n    doc: 状态\n    values:\n\
         \x20     - {{value: 1, name: active, doc: 启用}}\n\
         \x20     - {{value: 2, name: disabled, doc: 停用}}\n\
         \x20     - {{value: -1, name: deleted, doc: 已删除}}\n\n\
         types:\n  Owner:\n    doc: 负责人\n    fields:\n\
         \x20     userid: {{type: string, required: true, doc: 用户id, max_bytes: 64}}\n\
         \x20     name: {{type: string, doc: 姓名}}\n\nendpoints:\n"
    );
    for i in first..first + count {
        endpoint(&mut out, i);
    }
    out
}

fn endpoint(out: &mut String, i: usize) {
    let paged = i.is_multiple_of(3);
    let _ = write!(
        out,
        r#"  - id: synth_item_list_{i}
    title: 合成接口 {i}
    doc_url: https://example.invalid/doc/{i}
    doc: 查询合成数据，第 {i} 个接口。
    method: POST
    host: oapi
    path: /topapi/synth/item/list{i}
    idempotent: true
    request:
      body:
        cursor: {{type: int64, required: true, min: 0, doc: 分页游标}}
        size: {{type: int64, required: true, min: 1, max: 100, doc: 分页大小}}
        keyword: {{type: string, max_bytes: 256, doc: 关键字}}
        status: {{type: Status, doc: 状态}}
        userid_list: {{type: list<string>, max_items: 100, doc: 用户列表}}
        start_time: {{type: unix_millis, doc: 开始时间}}
    response:
      at: result
      type: object
      doc: 返回结果。
      fields:
        has_more: {{type: bool, required: true, doc: 是否还有更多}}
        next_cursor: {{type: int64, doc: 下一页游标}}
        list:
          type: list<object>
          name: SynthItem{i}
          doc: 数据列表
          fields:
            item_id: {{type: string, required: true, doc: 数据id}}
            status: {{type: Status, doc: 状态}}
            create_time: {{type: unix_millis, doc: 创建时间}}
            owner: {{type: Owner, doc: 负责人}}
            tags: {{type: list<string>, doc: 标签}}
            detail:
              type: object
              name: SynthDetail{i}
              doc: 详情
              fields:
                title: {{type: string, doc: 标题}}
                amount: {{type: float64, doc: 金额}}
                count: {{type: int32, doc: 数量}}
"#
    );
    if paged {
        let _ = writeln!(
            out,
            "    paging: {{style: cursor, request: cursor, size: size, next: next_cursor, items: list, end: [has_more_false, next_absent], has_more: has_more}}"
        );
    }
    let _ = write!(
        out,
        r#"    example:
      source: doc
      request: |
        {{"cursor": 0, "size": 20, "keyword": "k", "status": 1, "userid_list": ["u1"], "start_time": 1700000000000}}
      response: |
        {{"errcode": 0, "errmsg": "ok", "result": {{"has_more": false, "next_cursor": 20, "list": [{{"item_id": "i1", "status": 1, "create_time": 1700000000000, "owner": {{"userid": "u1", "name": "张三"}}, "tags": ["a"], "detail": {{"title": "t", "amount": 1.5, "count": 2}}}}]}}}}

"#
    );
}

const VENDOR: &str = r#"vendor: synth
title: 合成 Synthetic
doc_url: https://example.invalid
hosts:
  oapi:
    base_url: https://oapi.example.invalid
    env: WORKAPI_SYNTH_OAPI_BASE_URL
    token: query
    errors: envelope
token:
  endpoint: gettoken
  query_param: access_token
  id: {param: appkey, env: SYNTH_APP_KEY}
  secret: {param: appsecret, env: SYNTH_APP_SECRET}
  token_field: access_token
  expires_field: expires_in
envelope: [errcode, errmsg, request_id]
rate_limit: {calls: 20, per: second}
errcodes:
  - {code: -1, doc: 系统繁忙, kind: busy}
  - {code: 88, doc: 鉴权失败, kind: token}
endpoints:
  - id: gettoken
    title: 获取 access_token
    doc_url: https://example.invalid/gettoken
    method: GET
    host: oapi
    token: none
    idempotent: true
    path: /gettoken
    request:
      query:
        appkey: {type: string, required: true, doc: 应用的 key}
        appsecret: {type: string, required: true, secret: true, doc: 应用的密钥}
    response:
      at: top
      type: object
      name: AccessToken
      fields:
        access_token: {type: string, required: true, secret: true, doc: 凭证}
        expires_in: {type: int64, required: true, doc: 有效期（秒）}
    example:
      source: doc
      query: {appkey: key, appsecret: secret}
      response: |
        {"errcode": 0, "errmsg": "ok", "access_token": "t", "expires_in": 7200}
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn a_synthetic_spec_loads_and_emits() {
        let dir = std::env::temp_dir().join(format!("workapi-synth-{}", std::process::id()));
        for (path, text) in super::spec_files(120) {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let spec = crate::load(&dir).unwrap_or_else(|d| panic!("{d}"));
        let endpoints: usize = spec.vendors.iter().map(|v| v.endpoints().count()).sum();
        assert_eq!(endpoints, 121);
        // vendors.rs, the vendor root, one file per module.
        assert_eq!(
            crate::emit::emit(&spec).len(),
            2 + 120usize.div_ceil(super::ENDPOINTS_PER_MODULE)
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
