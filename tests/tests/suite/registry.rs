//! Many tenants from one process: a `ClientRegistry` against the mock with two corps and two
//! apps in each (same corp id, different secrets). Each request must carry the token issued to its
//! own tenant's credential, each tenant fetches one token, and a revoked token is replaced per
//! tenant, never by another's.

use workapi::ClientRegistry;
use workapi::wecom::{self, contact::DepartmentSimplelistRequest};
use workapi_mock::MockServer;

const TENANTS: [(&str, &str); 4] = [
    ("corp-a", "secret-a1"),
    ("corp-a", "secret-a2"),
    ("corp-b", "secret-b1"),
    ("corp-b", "secret-b2"),
];

/// The mock's label of each tenant's credential: added in order, so `#1`, `#2`, ... per vendor.
fn labels() -> Vec<String> {
    TENANTS
        .iter()
        .enumerate()
        .map(|(n, (corp, _))| format!("{corp} #{}", n + 1))
        .collect()
}

#[tokio::test]
async fn each_tenant_calls_with_its_own_token_from_one_registry() {
    let mock = MockServer::start().await.unwrap();
    for (corp, secret) in TENANTS {
        mock.add_credentials("wecom", corp, secret);
    }
    let uri = mock.uri();
    let registry = ClientRegistry::<wecom::Client>::new(move |b| b.base_url(wecom::Host::Qyapi, uri.clone())).unwrap();
    let request = DepartmentSimplelistRequest::new();

    // Twice round the tenants, one call each; then all of them at once.
    for _ in 0..2 {
        for (corp, secret) in TENANTS {
            registry
                .client(corp, secret)
                .unwrap()
                .department_simplelist(&request)
                .await
                .unwrap();
        }
    }
    let clients: Vec<_> = TENANTS.iter().map(|(c, s)| registry.client(c, *s).unwrap()).collect();
    let at_once = futures::future::join_all(clients.iter().map(|c| c.department_simplelist(&request))).await;
    assert!(at_once.iter().all(Result::is_ok), "{at_once:?}");

    assert_eq!(registry.len(), TENANTS.len());
    assert_eq!(
        mock.tokens_issued(),
        TENANTS.len(),
        "one token per tenant, fetched once"
    );
    let sent: Vec<String> = mock
        .requests_to("department_simplelist")
        .into_iter()
        .map(|r| r.credential.expect("a token the mock issued"))
        .collect();
    let expected = labels();
    // In order for the sequential rounds: each request carried its own tenant's token.
    assert_eq!(sent[..8], [expected.clone(), expected.clone()].concat()[..]);
    let mut concurrent = sent[8..].to_vec();
    concurrent.sort();
    assert_eq!(concurrent, expected);

    // The vendor revokes every token: each tenant fetches its own new one.
    mock.revoke_tokens();
    for (corp, secret) in TENANTS {
        registry
            .client(corp, secret)
            .unwrap()
            .department_simplelist(&request)
            .await
            .unwrap();
    }
    assert_eq!(mock.tokens_issued(), 2 * TENANTS.len());
    let after: Vec<String> = mock
        .requests_to("department_simplelist")
        .into_iter()
        .skip(12)
        .filter_map(|r| r.credential)
        .collect();
    // Each tenant: the rejected call (old token, still attributed to it) and its resend.
    let resent: Vec<String> = expected.iter().flat_map(|l| [l.clone(), l.clone()]).collect();
    assert_eq!(after, resent);
}

#[tokio::test]
async fn a_wrong_secret_is_its_own_tenant_and_fails_alone() {
    let mock = MockServer::start().await.unwrap();
    mock.add_credentials("wecom", "corp-a", "secret-a1");
    let uri = mock.uri();
    let registry = ClientRegistry::<wecom::Client>::new(move |b| b.base_url(wecom::Host::Qyapi, uri.clone())).unwrap();
    let request = DepartmentSimplelistRequest::new();
    let wrong = registry.client("corp-a", "not-the-secret").unwrap();
    let err = wrong.department_simplelist(&request).await.unwrap_err();
    assert!(!format!("{err} {err:?} {registry:?}").contains("not-the-secret"));
    // The right secret of the same corp is another tenant, unaffected.
    let right = registry.client("corp-a", "secret-a1").unwrap();
    right.department_simplelist(&request).await.unwrap();
    assert_eq!(registry.len(), 2);
    registry.forget("corp-a");
    assert!(registry.is_empty());
}
