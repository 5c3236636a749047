//! [`EncryptedMessage`]: an encrypted, signed reply, and the two wire forms the vendors expect
//! it in (WeCom's passive-reply XML, DingTalk's JSON).

use serde::Serialize;

/// An encrypted and signed message, made by [`CallbackCrypto::encrypt`](super::CallbackCrypto::encrypt).
///
/// None of the fields is secret: `encrypt` is ciphertext and `msg_signature` a hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EncryptedMessage {
    /// The base64 ciphertext.
    pub encrypt: String,
    /// The signature over token, timestamp, nonce and `encrypt` (40 lowercase hex digits).
    pub msg_signature: String,
    /// The timestamp that was signed.
    #[serde(rename = "timeStamp")]
    pub timestamp: String,
    /// The nonce that was signed.
    pub nonce: String,
}

impl EncryptedMessage {
    /// The DingTalk reply body: `{"msg_signature":..,"timeStamp":..,"nonce":..,"encrypt":..}`
    /// (验证和更新回调URL事件, 测试回调URL事件: the field is `timeStamp`, camel case, a string).
    pub fn to_dingtalk_json(&self) -> String {
        // A struct of four strings always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The WeCom passive-reply body (回调配置 "被动响应包的数据格式"):
    ///
    /// ```xml
    /// <xml>
    /// <Encrypt><![CDATA[...]]></Encrypt>
    /// <MsgSignature><![CDATA[...]]></MsgSignature>
    /// <TimeStamp>...</TimeStamp>
    /// <Nonce><![CDATA[...]]></Nonce>
    /// </xml>
    /// ```
    ///
    /// The timestamp and nonce are escaped, so any value given to `encrypt` stays well-formed.
    pub fn to_wecom_xml(&self) -> String {
        format!(
            "<xml>\n<Encrypt>{}</Encrypt>\n<MsgSignature>{}</MsgSignature>\n\
             <TimeStamp>{}</TimeStamp>\n<Nonce>{}</Nonce>\n</xml>",
            cdata(&self.encrypt),
            cdata(&self.msg_signature),
            escape_text(&self.timestamp),
            cdata(&self.nonce),
        )
    }
}

/// A CDATA section holding `text`; a `]]>` inside is split across two sections.
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// `text` as XML character data.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
