//! Interop with third-party XMLDSig implementations, both directions, with the dev PKI's RSA
//! keys: xmlsec1 (libxml2 + OpenSSL) and the JDK's javax.xml.crypto (Santuario, secure
//! validation on). Skipped when a tool is missing, failed then under
//! `MGOVSIGN_REQUIRE_INTEROP=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use mgovsign_pki::Purpose;
use mgovsign_testkit::{DevPki, Profile};
use mgovsign_xmldsig::{SignOptions, VerifyOptions, XmlError, sign_enveloped, verify_all};

const DOCS: &[&str] = &[
    "<root><name>NCANode</name></root>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc xmlns=\"urn:d\" xmlns:x=\"urn:x\" \
     x:a='1'>\n  <x:item n=\"&lt;&amp;&quot;\">Қазақ &amp; text\r\n</x:item><!-- a comment -->\
     <empty/><![CDATA[<raw>]]>\n</doc>",
];

fn sign(profile: Profile, xml: &str) -> Vec<u8> {
    let issued = common::pki().get(profile);
    let mut rng = mgovsign_crypto::os_rng();
    sign_enveloped(
        xml.as_bytes(),
        issued.private_key(),
        issued.certificate_der(),
        &SignOptions::default(),
        &mut rng,
    )
    .unwrap()
}

fn write_pem(dir: &Path, pki: &DevPki, p: Profile) -> PathBuf {
    let path = dir.join(format!("{}.pem", p.name()));
    std::fs::write(&path, pki.get(p).certificate_pem()).unwrap();
    path
}

fn xmlsec1_verify(dir: &Path, file: &Path) -> std::process::Output {
    let pki = common::pki();
    let root = write_pem(dir, pki, Profile::RsaRoot);
    let ca = write_pem(dir, pki, Profile::RsaCa);
    Command::new("xmlsec1")
        .arg("--verify")
        .arg("--trusted-pem")
        .arg(&root)
        .arg("--untrusted-pem")
        .arg(&ca)
        // The dev PKI's fixed epoch (+ 1 hour), never the clock.
        .args(["--verification-gmt-time", "2026-12-01 01:00:00"])
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn xmlsec1_verifies_our_rsa_signatures() {
    if !common::tool_or_skip("xmlsec1_verifies_ours", "xmlsec1", "--version") {
        return;
    }
    let dir = common::temp_dir("interop-xmlsec1-verify");
    for (i, doc) in DOCS.iter().enumerate() {
        for p in [Profile::RsaSign, Profile::RsaAuth] {
            let signed = sign(p, doc);
            let file = dir.join(format!("ours{i}-{}.xml", p.name()));
            std::fs::write(&file, &signed).unwrap();
            let out = xmlsec1_verify(&dir, &file);
            assert!(
                out.status.success(),
                "xmlsec1 rejects {}: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            // And it notices a change.
            let tampered = String::from_utf8(signed)
                .unwrap()
                .replacen("</root>", "<x/></root>", 1)
                .replacen("<empty/>", "<empty a=\"1\"/>", 1);
            std::fs::write(&file, tampered).unwrap();
            assert!(!xmlsec1_verify(&dir, &file).status.success());
        }
    }
}

#[test]
fn we_verify_xmlsec1_signatures() {
    if !common::tool_or_skip("we_verify_xmlsec1", "xmlsec1", "--version") {
        return;
    }
    let dir = common::temp_dir("interop-xmlsec1-sign");
    let pki = common::pki();
    let issued = pki.get(Profile::RsaSign);
    let key = dir.join("key.pem");
    std::fs::write(&key, issued.private_key_pem().as_bytes()).unwrap();
    let cert = write_pem(&dir, pki, Profile::RsaSign);
    // A template in the default namespace (no `ds:` prefix): found by namespace.
    for (i, (transform, body)) in [
        (
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
            "<root><name>NCANode</name></root>",
        ),
        (
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
            "<doc xmlns:x=\"urn:x\"><x:a b=\"&amp;\">Қазақ</x:a>\n</doc>",
        ),
        (
            "http://www.w3.org/2001/10/xml-exc-c14n#",
            "<doc xmlns:x=\"urn:x\"><x:a b=\"&amp;\">text</x:a></doc>",
        ),
    ]
    .iter()
    .enumerate()
    {
        let template = format!(
            "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>\
             <CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>\
             <SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>\
             <Reference URI=\"\"><Transforms>\
             <Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
             <Transform Algorithm=\"{transform}\"/></Transforms>\
             <DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/>\
             </Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"
        );
        let close = body.rfind("</").unwrap();
        let xml = format!("{}{template}{}", &body[..close], &body[close..]);
        let file = dir.join(format!("template{i}.xml"));
        std::fs::write(&file, xml).unwrap();
        let out = Command::new("xmlsec1")
            .arg("--sign")
            .arg("--privkey-pem")
            .arg(format!("{},{}", key.display(), cert.display()))
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "xmlsec1 --sign: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let signed = out.stdout;
        let verified = verify_all(&signed, &VerifyOptions::default())
            .unwrap_or_else(|e| panic!("{transform}: {e}\n{}", String::from_utf8_lossy(&signed)));
        assert_eq!(verified[0].certificate.der(), issued.certificate_der());
        let report = mgovsign_xmldsig::verify_document(
            &signed,
            &VerifyOptions::default(),
            &common::dev_validator(),
            Purpose::Signing,
            common::dev_now(),
        );
        assert!(report.is_valid(), "{report:?}");
        let tampered = String::from_utf8(signed)
            .unwrap()
            .replacen("</doc>", "<x/></doc>", 1)
            .replacen("NCANode", "NCANodf", 1);
        assert!(matches!(
            verify_all(tampered.as_bytes(), &VerifyOptions::default()),
            Err(XmlError::DigestMismatch { .. })
        ));
    }
}

/// Compiles the Java peer into a temporary directory; `None` when the JDK is missing.
fn java_peer() -> Option<PathBuf> {
    if !common::tool_or_skip("java interop", "javac", "-version")
        || !common::tool_or_skip("java interop", "java", "-version")
    {
        return None;
    }
    let dir = common::temp_dir("interop-java");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/XmlDsigInterop.java");
    let out = Command::new("javac")
        .arg("-d")
        .arg(&dir)
        .arg(&src)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "javac: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(dir)
}

fn java(classes: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new("java")
        .arg("-cp")
        .arg(classes)
        .arg("XmlDsigInterop")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn jdk_interop_both_ways() {
    let Some(classes) = java_peer() else {
        return;
    };
    let dir = classes.clone();
    // The JDK verifies ours (one and two signatures).
    for (i, doc) in DOCS.iter().enumerate() {
        let one = sign(Profile::RsaSign, doc);
        let two = sign(Profile::RsaAuth, std::str::from_utf8(&one).unwrap());
        for (n, signed) in [("one", &one), ("two", &two)] {
            let file = dir.join(format!("ours{i}-{n}.xml"));
            std::fs::write(&file, signed).unwrap();
            let out = java(&classes, &["verify".as_ref(), file.as_os_str()]);
            assert!(
                out.status.success(),
                "JDK rejects {}: {}{}",
                file.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let tampered = String::from_utf8(signed.clone())
                .unwrap()
                .replacen("NCANode", "NCANodf", 1)
                .replacen("<empty/>", "<empty a=\"1\"/>", 1);
            std::fs::write(&file, tampered).unwrap();
            let out = java(&classes, &["verify".as_ref(), file.as_os_str()]);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    // We verify the JDK's (its base64 carries `&#13;` line ends).
    let issued = common::pki().get(Profile::RsaSign);
    let key = dir.join("key.pk8");
    std::fs::write(&key, issued.private_key_pkcs8_der()).unwrap();
    let cert = dir.join("cert.der");
    std::fs::write(&cert, issued.certificate_der()).unwrap();
    for (i, doc) in DOCS.iter().enumerate() {
        let input = dir.join(format!("in{i}.xml"));
        std::fs::write(&input, doc).unwrap();
        let output = dir.join(format!("jdk{i}.xml"));
        let out = java(
            &classes,
            &[
                "sign".as_ref(),
                input.as_os_str(),
                output.as_os_str(),
                key.as_os_str(),
                cert.as_os_str(),
            ],
        );
        assert!(
            out.status.success(),
            "JDK sign: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let signed = std::fs::read(&output).unwrap();
        // A comment in the signed content is outside the `URI=""` digest: refused by
        // default, accepted when the caller opts into the specification's behaviour.
        let opts = if doc.contains("<!--") {
            assert!(matches!(
                verify_all(&signed, &VerifyOptions::default()),
                Err(XmlError::CommentNotCovered { count: 1 })
            ));
            VerifyOptions::default().with_comments(mgovsign_xmldsig::UncoveredComments::Ignore)
        } else {
            VerifyOptions::default()
        };
        let verified = verify_all(&signed, &opts).unwrap_or_else(|e| {
            panic!(
                "we reject the JDK's: {e}\n{}",
                String::from_utf8_lossy(&signed)
            )
        });
        assert_eq!(verified[0].certificate.der(), issued.certificate_der());
        // A second signature by us on top of the JDK's: both verify, here and in the JDK.
        let both = sign(Profile::RsaAuth, std::str::from_utf8(&signed).unwrap());
        assert_eq!(verify_all(&both, &opts).unwrap().len(), 2);
        let file = dir.join(format!("both{i}.xml"));
        std::fs::write(&file, &both).unwrap();
        let out = java(&classes, &["verify".as_ref(), file.as_os_str()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
