//! A dev OCSP responder over the [`DevPki`], and a tiny loopback HTTP server to put it (or
//! static files such as CRLs) behind a URL.
//!
//! [`ocsp_response`] is the pure part: an `OCSPRequest` in, a signed `OCSPResponse` out, with
//! knobs ([`OcspOptions`]) for every answer a hostile or broken responder could give.
//! [`DevHttpServer`] serves a handler on `127.0.0.1:<ephemeral>` from a background thread
//! (std only, no async runtime); [`DevHttpServer::ocsp`] and [`DevHttpServer::files`] are the
//! two ready-made handlers. Tests only: nothing here is hardened.
//!
//! Status is taken from the dev PKI's planned revocations with the delta CRL applied: a
//! serial on the issuing CA's full CRL is revoked unless the delta lists it with
//! `removeFromCRL`; a serial only on the delta is revoked; a serial the CA issued and did not
//! revoke is good; any other serial is `unknown` (or, with
//! [`OcspOptions::nca_not_issued_marker`], the NCA's "revoked 1970-01-01, certificateHold").

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration as StdDuration;

use mgovsign_crypto::{HashAlg, PrivateKey};
use time::{Duration, OffsetDateTime};

use crate::der::{self, tag};
use crate::devpki::{DevPki, Issued};
use crate::error::DevPkiError;
use crate::profile::{CrlKind, Profile, RevocationReason};
use crate::rng::DetRng;

/// Who signs the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OcspSigner {
    /// The issuing CA itself (responderID byName = the CA, no embedded certificate).
    Ca,
    /// The delegated responder ([`Profile::OcspResponder`], EKU OCSPSigning + ocsp-nocheck),
    /// its certificate embedded, responderID byKey. Only for GOST CA certificates; the RSA CA
    /// always signs itself.
    #[default]
    Delegate,
}

/// A deliberately wrong answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hostile {
    /// Signed by [`Profile::Employee`]'s key, its certificate embedded and named as the
    /// responder: an unauthorised responder.
    UnauthorisedSigner,
    /// Named as the CA, but the signature is corrupted.
    BadSignature,
    /// Echoes a nonce different from the request's.
    WrongNonce,
    /// Echoes no nonce.
    NoNonce,
    /// Answers for another serial (the request's plus one).
    OtherSerial,
    /// thisUpdate and producedAt two days before [`OcspOptions::at`], no nextUpdate.
    Stale,
    /// thisUpdate and producedAt one day after [`OcspOptions::at`].
    FromTheFuture,
    /// responseStatus `tryLater` (3), no body.
    TryLater,
}

/// A status forced regardless of the dev PKI's revocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForcedStatus {
    /// `good`.
    Good,
    /// `revoked` at `at`, with `reason` as the revocationReason.
    Revoked {
        /// revocationTime.
        at: OffsetDateTime,
        /// revocationReason.
        reason: RevocationReason,
    },
    /// `unknown`.
    Unknown,
}

/// How [`ocsp_response`] answers. Defaults: signed by the delegated responder, producedAt =
/// thisUpdate = the dev PKI's epoch, no nextUpdate (as the NCA), nonce echoed, statuses from
/// the dev PKI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspOptions {
    /// Who signs.
    pub signer: OcspSigner,
    /// producedAt / thisUpdate.
    pub at: OffsetDateTime,
    /// nextUpdate = `at` + this, when set.
    pub next_update: Option<Duration>,
    /// A hostile variation.
    pub hostile: Option<Hostile>,
    /// Override the status.
    pub force_status: Option<ForcedStatus>,
    /// Answer serials the CA never issued as "revoked 1970-01-01, certificateHold" (the NCA's
    /// RFC 6960 §2.2 answer) instead of `unknown`.
    pub nca_not_issued_marker: bool,
}

impl OcspOptions {
    /// The defaults for `pki`.
    #[must_use]
    pub fn new(pki: &DevPki) -> Self {
        Self {
            signer: OcspSigner::Delegate,
            at: pki.config().epoch,
            next_update: None,
            hostile: None,
            force_status: None,
            nca_not_issued_marker: false,
        }
    }
}

/// The parts of an `OCSPRequest` the responder uses (first request of the list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRequest {
    /// The CertID's hash algorithm OID (content octets).
    pub hash_oid: Vec<u8>,
    /// issuerNameHash.
    pub name_hash: Vec<u8>,
    /// issuerKeyHash.
    pub key_hash: Vec<u8>,
    /// serialNumber content octets.
    pub serial: Vec<u8>,
    /// The nonce extension's inner OCTET STRING content, when present.
    pub nonce: Option<Vec<u8>>,
}

fn bad(what: &'static str) -> DevPkiError {
    DevPkiError::Encoding { what }
}

/// One DER TLV: (tag, content, rest). Single-byte tags only.
fn read_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&t, rest) = input.split_first()?;
    let (&l, rest) = rest.split_first()?;
    let (len, rest) = if l < 0x80 {
        (usize::from(l), rest)
    } else {
        let n = usize::from(l & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (lb, rest) = rest.split_at(n);
        (
            lb.iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
            rest,
        )
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((t, content, rest))
}

fn expect<'a>(
    input: &'a [u8],
    want: u8,
    what: &'static str,
) -> Result<(&'a [u8], &'a [u8]), DevPkiError> {
    match read_tlv(input) {
        Some((t, c, r)) if t == want => Ok((c, r)),
        _ => Err(bad(what)),
    }
}

/// Parses the first request of an `OCSPRequest` and its nonce.
///
/// # Errors
/// [`DevPkiError::Encoding`] when it is not the shape RFC 6960 §4.1.1 gives.
pub fn parse_request(der: &[u8]) -> Result<ParsedRequest, DevPkiError> {
    let (req, _) = expect(der, tag::SEQUENCE, "OCSPRequest")?;
    let (tbs, _) = expect(req, tag::SEQUENCE, "TBSRequest")?;
    let mut rest = tbs;
    if let Some((0xa0, _, r)) = read_tlv(rest) {
        rest = r;
    }
    if let Some((0xa1, _, r)) = read_tlv(rest) {
        rest = r;
    }
    let (list, rest) = expect(rest, tag::SEQUENCE, "requestList")?;
    let (one, _) = expect(list, tag::SEQUENCE, "Request")?;
    let (cert_id, _) = expect(one, tag::SEQUENCE, "CertID")?;
    let (alg, r) = expect(cert_id, tag::SEQUENCE, "hashAlgorithm")?;
    let (hash_oid, _) = expect(alg, tag::OID, "hashAlgorithm OID")?;
    let (name_hash, r) = expect(r, tag::OCTET_STRING, "issuerNameHash")?;
    let (key_hash, r) = expect(r, tag::OCTET_STRING, "issuerKeyHash")?;
    let (serial, _) = expect(r, tag::INTEGER, "serialNumber")?;
    let mut nonce = None;
    if let Some((0xa2, exts, _)) = read_tlv(rest) {
        let (mut exts, _) = expect(exts, tag::SEQUENCE, "requestExtensions")?;
        while !exts.is_empty() {
            let (ext, r) = expect(exts, tag::SEQUENCE, "Extension")?;
            exts = r;
            let (oid, r) = expect(ext, tag::OID, "extnID")?;
            let r = match read_tlv(r) {
                Some((tag::BOOLEAN, _, r)) => r,
                _ => r,
            };
            let (value, _) = expect(r, tag::OCTET_STRING, "extnValue")?;
            if oid == NONCE_OID {
                // RFC 8954: the value is an OCTET STRING; accept a bare value too (RFC 2560).
                nonce = Some(match read_tlv(value) {
                    Some((tag::OCTET_STRING, n, [])) => n.to_vec(),
                    _ => value.to_vec(),
                });
            }
        }
    }
    let skip = serial.iter().take_while(|b| **b == 0).count();
    Ok(ParsedRequest {
        hash_oid: hash_oid.to_vec(),
        name_hash: name_hash.to_vec(),
        key_hash: key_hash.to_vec(),
        serial: serial.get(skip..).unwrap_or_default().to_vec(),
        nonce,
    })
}

/// 1.3.6.1.5.5.7.48.1.2 content octets.
const NONCE_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02];
/// 1.3.6.1.5.5.7.48.1.1 content octets.
const BASIC_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];

/// OCSP times are always GeneralizedTime (RFC 6960 §4.2.1).
fn gen_time(t: OffsetDateTime) -> Vec<u8> {
    let t = t.to_offset(time::UtcOffset::UTC);
    der::tlv(
        tag::GENERALIZED_TIME,
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
        .as_bytes(),
    )
}

fn hash_of(oid: &[u8]) -> Option<HashAlg> {
    [HashAlg::Sha1, HashAlg::Sha256]
        .into_iter()
        .find(|h| h.oid().as_bytes() == oid)
}

/// subjectPublicKey bits of a certificate (for key hashes).
fn public_key_bits(cert_der: &[u8]) -> Option<&[u8]> {
    let (cert, _) = expect(cert_der, tag::SEQUENCE, "c").ok()?;
    let (tbs, _) = expect(cert, tag::SEQUENCE, "t").ok()?;
    let mut r = tbs;
    if let Some((0xa0, _, rest)) = read_tlv(r) {
        r = rest;
    }
    // serial, signature, issuer, validity, subject, spki
    for _ in 0..5 {
        r = read_tlv(r)?.2;
    }
    let (spki, _) = expect(r, tag::SEQUENCE, "s").ok()?;
    let (_, _, rest) = read_tlv(spki)?;
    let (bits, _) = expect(rest, tag::BIT_STRING, "b").ok()?;
    bits.get(1..)
}

fn status_for(pki: &DevPki, ca: Profile, serial: &[u8], opts: &OcspOptions) -> Vec<u8> {
    let revoked = |at: OffsetDateTime, reason: u8| {
        der::tlv(
            0xa1,
            &[gen_time(at), der::explicit(0, &der::enumerated(reason))].concat(),
        )
    };
    match opts.force_status {
        Some(ForcedStatus::Good) => return vec![0x80, 0x00],
        Some(ForcedStatus::Unknown) => return vec![0x82, 0x00],
        Some(ForcedStatus::Revoked { at, reason }) => return revoked(at, reason.code()),
        None => {}
    }
    let full = CrlKind::full_for(ca);
    let delta = CrlKind::delta_for(ca);
    let on = |kind: Option<CrlKind>| {
        pki.revoked()
            .iter()
            .find(|r| Some(r.crl) == kind && r.serial == serial)
    };
    match (on(delta), on(Some(full))) {
        (Some(d), _) if d.reason == RevocationReason::RemoveFromCrl => vec![0x80, 0x00],
        (Some(r), _) | (None, Some(r)) => revoked(r.revoked_at, r.reason.code()),
        (None, None) => {
            let issued_here = pki
                .issued()
                .iter()
                .any(|i| i.profile().issuer() == Some(ca) && i.serial() == serial);
            if issued_here {
                vec![0x80, 0x00]
            } else if opts.nca_not_issued_marker {
                revoked(
                    OffsetDateTime::UNIX_EPOCH,
                    RevocationReason::CertificateHold.code(),
                )
            } else {
                vec![0x82, 0x00]
            }
        }
    }
}

fn sig_alg(key: &PrivateKey) -> Vec<u8> {
    der::seq(&[&der::oid(&key.signature_alg().oid()), &der::null()])
}

fn response_der(status: u8, basic: Option<&[u8]>) -> Vec<u8> {
    match basic {
        Some(b) => der::seq(&[
            &der::enumerated(status),
            &der::explicit(
                0,
                &der::seq(&[&der::tlv(tag::OID, BASIC_OID), &der::octets(b)]),
            ),
        ]),
        None => der::seq(&[&der::enumerated(status)]),
    }
}

/// Answers `request_der` as the dev PKI's responder would, varied by `opts`.
/// A request that does not parse, or whose issuer is not a dev CA, gets responseStatus
/// `malformedRequest` (1) or `unauthorized` (6).
///
/// # Errors
/// [`DevPkiError::Crypto`] when signing fails (not expected).
pub fn ocsp_response(
    pki: &DevPki,
    request_der: &[u8],
    opts: &OcspOptions,
) -> Result<Vec<u8>, DevPkiError> {
    if opts.hostile == Some(Hostile::TryLater) {
        return Ok(response_der(3, None));
    }
    let Ok(req) = parse_request(request_der) else {
        return Ok(response_der(1, None));
    };
    let Some(h) = hash_of(&req.hash_oid) else {
        return Ok(response_der(1, None));
    };
    let ca = [
        Profile::GostCa,
        Profile::RsaCa,
        Profile::GostRoot,
        Profile::RsaRoot,
    ]
    .into_iter()
    .find(|p| {
        let c = pki.get(*p);
        public_key_bits(c.certificate_der()).is_some_and(|k| h.digest(k) == req.key_hash)
            && h.digest(c.subject_der()) == req.name_hash
    });
    let Some(ca) = ca else {
        return Ok(response_der(6, None));
    };
    let at = opts.at;
    let (this_update, produced_at) = match opts.hostile {
        Some(Hostile::Stale) => (at - Duration::days(2), at - Duration::days(2)),
        Some(Hostile::FromTheFuture) => (at + Duration::days(1), at + Duration::days(1)),
        _ => (at, at),
    };
    let mut serial = req.serial.clone();
    if opts.hostile == Some(Hostile::OtherSerial) {
        serial = bump(&serial);
    }
    let status = status_for(pki, ca, &serial, opts);
    let cert_id = der::seq(&[
        &der::seq(&[&der::tlv(tag::OID, &req.hash_oid), &der::null()]),
        &der::octets(&req.name_hash),
        &der::octets(&req.key_hash),
        &der::uint(&serial),
    ]);
    let mut single = vec![cert_id, status, gen_time(this_update)];
    if let Some(n) = opts.next_update
        && opts.hostile != Some(Hostile::Stale)
    {
        single.push(der::explicit(0, &gen_time(this_update + n)));
    }
    let single_refs: Vec<&[u8]> = single.iter().map(Vec::as_slice).collect();
    let single = der::seq(&single_refs);

    let ca_issued = pki.get(ca);
    let signer: &Issued = match (opts.hostile, opts.signer) {
        (Some(Hostile::UnauthorisedSigner), _) => pki.get(Profile::Employee),
        (_, OcspSigner::Delegate) if ca == Profile::GostCa => pki.get(Profile::OcspResponder),
        _ => ca_issued,
    };
    let embed = signer.profile() != ca;
    let responder_id = if embed {
        let bits = public_key_bits(signer.certificate_der()).unwrap_or_default();
        der::explicit(2, &der::octets(&HashAlg::Sha1.digest(bits)))
    } else {
        der::explicit(1, signer.subject_der())
    };
    let nonce = match opts.hostile {
        Some(Hostile::NoNonce) => None,
        Some(Hostile::WrongNonce) => Some(vec![0x5a; 32]),
        _ => req.nonce.clone(),
    };
    let mut tbs_parts = vec![responder_id, gen_time(produced_at), der::seq(&[&single])];
    if let Some(n) = nonce {
        let ext = der::seq(&[
            &der::tlv(tag::OID, NONCE_OID),
            &der::octets(&der::octets(&n)),
        ]);
        tbs_parts.push(der::explicit(1, &der::seq(&[&ext])));
    }
    let tbs_refs: Vec<&[u8]> = tbs_parts.iter().map(Vec::as_slice).collect();
    let tbs = der::seq(&tbs_refs);
    let mut rng = DetRng::new(pki.config().seed, "ocsp-response");
    let mut sig = signer
        .private_key()
        .sign(&tbs, &mut rng)
        .map_err(|source| DevPkiError::Crypto {
            what: "signing an OCSP response",
            source,
        })?;
    if opts.hostile == Some(Hostile::BadSignature)
        && let Some(b) = sig.get_mut(7)
    {
        *b ^= 0x01;
    }
    let alg = sig_alg(signer.private_key());
    let mut basic = vec![tbs, alg, der::bit_string(&sig)];
    if embed {
        basic.push(der::explicit(0, &der::seq(&[signer.certificate_der()])));
    }
    let basic_refs: Vec<&[u8]> = basic.iter().map(Vec::as_slice).collect();
    Ok(response_der(0, Some(&der::seq(&basic_refs))))
}

/// `serial + 1` as unsigned big-endian bytes.
fn bump(serial: &[u8]) -> Vec<u8> {
    let mut out = serial.to_vec();
    for b in out.iter_mut().rev() {
        let (v, carry) = b.overflowing_add(1);
        *b = v;
        if !carry {
            return out;
        }
    }
    out.insert(0, 1);
    out
}

/// One HTTP request as the dev server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The request target (path and query).
    pub path: String,
    /// Header names lowercased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (Content-Length bytes).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the dev server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// Sleep this long before answering (timeouts).
    pub delay: Option<StdDuration>,
}

impl HttpResponse {
    /// `200` with `body`.
    #[must_use]
    pub fn ok(body: Vec<u8>, content_type: &str) -> Self {
        Self {
            status: 200,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body,
            delay: None,
        }
    }

    /// A status with an empty body.
    #[must_use]
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: None,
        }
    }

    /// `302 Found` to `location`.
    #[must_use]
    pub fn redirect(location: &str) -> Self {
        Self {
            status: 302,
            headers: vec![("Location".to_owned(), location.to_owned())],
            body: Vec::new(),
            delay: None,
        }
    }
}

/// A request handler.
pub type Handler = Arc<dyn Fn(&HttpRequest) -> HttpResponse + Send + Sync>;

/// A loopback HTTP/1.1 server on an ephemeral port, one thread per connection, each
/// connection closed after one answer. Stopped when dropped. Every request is recorded.
pub struct DevHttpServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    seen: Arc<std::sync::Mutex<Vec<HttpRequest>>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for DevHttpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevHttpServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Largest request head + body the dev server reads.
const MAX_REQUEST: usize = 1 << 20;

fn read_request(stream: &mut TcpStream) -> Option<HttpRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > MAX_REQUEST {
            return None;
        }
        buf.extend_from_slice(chunk.get(..n)?);
    };
    let head = String::from_utf8_lossy(buf.get(..head_end)?).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST);
    let mut body = buf.get(head_end + 4..)?.to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(chunk.get(..n)?);
    }
    body.truncate(len);
    Some(HttpRequest {
        method,
        path,
        headers,
        body,
    })
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        404 => "Not Found",
        _ => "Status",
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, seen: &std::sync::Mutex<Vec<HttpRequest>>) {
    let _ = stream.set_read_timeout(Some(StdDuration::from_secs(10)));
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    let resp = handler(&req);
    if let Ok(mut s) = seen.lock() {
        s.push(req);
    }
    if let Some(d) = resp.delay {
        std::thread::sleep(d);
    }
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        resp.status,
        reason_phrase(resp.status),
        resp.body.len()
    );
    for (k, v) in &resp.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&resp.body);
    let _ = stream.flush();
}

impl DevHttpServer {
    /// Starts serving `handler` on `127.0.0.1:0`.
    ///
    /// # Errors
    /// [`DevPkiError::Io`] when the socket cannot be bound.
    pub fn start(handler: Handler) -> Result<Self, DevPkiError> {
        let io = |source| DevPkiError::Io {
            path: "127.0.0.1:0".to_owned(),
            source,
        };
        let listener = TcpListener::bind("127.0.0.1:0").map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (stop2, seen2) = (Arc::clone(&stop), Arc::clone(&seen));
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let (h, s) = (Arc::clone(&handler), Arc::clone(&seen2));
                std::thread::spawn(move || serve(stream, &h, &s));
            }
        });
        Ok(Self {
            addr,
            stop,
            seen,
            thread: Some(thread),
        })
    }

    /// A dev OCSP responder for `pki` answering every POST with [`ocsp_response`].
    ///
    /// # Errors
    /// As [`DevHttpServer::start`].
    pub fn ocsp(pki: Arc<DevPki>, opts: OcspOptions) -> Result<Self, DevPkiError> {
        Self::start(Arc::new(move |req: &HttpRequest| {
            if req.method != "POST" {
                return HttpResponse::status(405);
            }
            match ocsp_response(&pki, &req.body, &opts) {
                Ok(body) => HttpResponse::ok(body, "application/ocsp-response"),
                Err(_) => HttpResponse::status(500),
            }
        }))
    }

    /// Serves `files` (path → body, paths starting with `/`) to GET; 404 otherwise.
    ///
    /// # Errors
    /// As [`DevHttpServer::start`].
    pub fn files(files: HashMap<String, Vec<u8>>) -> Result<Self, DevPkiError> {
        Self::start(Arc::new(move |req: &HttpRequest| {
            match files.get(&req.path) {
                Some(b) if req.method == "GET" => {
                    HttpResponse::ok(b.clone(), "application/pkix-crl")
                }
                _ => HttpResponse::status(404),
            }
        }))
    }

    /// `http://127.0.0.1:<port>/` (with the trailing slash).
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The bound address.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request answered so far.
    #[must_use]
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Drop for DevHttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, StdDuration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bump_carries() {
        assert_eq!(bump(&[0x01, 0xff]), vec![0x02, 0x00]);
        assert_eq!(bump(&[0xff]), vec![0x01, 0x00]);
    }

    #[test]
    fn gen_time_format() {
        let t = time::macros::datetime!(2026-12-01 00:00:05 UTC);
        assert_eq!(gen_time(t), der::tlv(0x18, b"20261201000005Z"));
    }
}
