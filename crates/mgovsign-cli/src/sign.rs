//! `mgovsign sign`: CMS signatures (CMS_WITH_DATA / CMS_SIGN_ONLY) with a PKCS#12 key, an
//! optional RFC 3161 timestamp over the signature value, DER or base64 out.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mgovsign_cms::{Attachment, SignOptions, SigningKey};
use mgovsign_tsp::{Imprint, TspClient};

use crate::inspect;
use crate::output::{self, Failure, Outcome};
use crate::secret::PasswordArgs;

/// The signature format.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignMethod {
    /// CMS SignedData with the content inside (CMS_WITH_DATA).
    CmsWithData,
    /// Detached CMS SignedData (CMS_SIGN_ONLY): the verifier needs the original file.
    CmsSignOnly,
    /// Enveloped XMLDSig appended to the document element (XML); writes the signed XML.
    Xml,
}

/// `mgovsign sign`.
#[derive(Args, Debug)]
pub(crate) struct SignArgs {
    /// The signature format.
    #[arg(long, value_enum)]
    method: SignMethod,
    /// The PKCS#12 key store.
    #[arg(long, value_name = "P12")]
    key: PathBuf,
    /// The key's alias, when the store holds several.
    #[arg(long)]
    alias: Option<String>,
    #[command(flatten)]
    password: PasswordArgs,
    /// Timestamp the signature at this RFC 3161 TSA (e.g. http://tsp.pki.gov.kz/).
    #[arg(long, value_name = "URL", conflicts_with = "no_tsa")]
    tsa: Option<String>,
    /// Sign without a timestamp (the default when --tsa is not given).
    #[arg(long)]
    no_tsa: bool,
    /// reqPolicy to send to the TSA (NCA: 1.2.398.3.3.2.6.4 GOST-2015, .6.2 RSA).
    #[arg(long, value_name = "OID", requires = "tsa")]
    tsa_policy: Option<String>,
    /// Add this signer to an existing CMS (co-signing) instead of signing IN afresh; IN is then
    /// the original data of a detached CMS, or ignored for an attached one.
    #[arg(long, value_name = "CMS")]
    cosign: Option<PathBuf>,
    /// The file to sign (`-` for standard input).
    input: PathBuf,
    /// Write the CMS here (default: standard output, which forces --base64).
    #[arg(short = 'o', long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Write base64 text (as eGov Mobile sends CMS) instead of DER.
    #[arg(long)]
    base64: bool,
}

pub(crate) fn run(args: &SignArgs) -> Outcome {
    if args.method == SignMethod::Xml {
        return crate::xml_cmd::sign_xml(
            &args.key,
            args.alias.as_deref(),
            &args.password,
            &args.input,
            args.output.as_deref(),
        );
    }
    let loaded = inspect::load_signing_key(&args.key, args.alias.as_deref(), &args.password)?;
    let cert = loaded
        .certificate
        .as_ref()
        .ok_or_else(|| Failure::usage("the key store holds no certificate for the key"))?;
    let signer = SigningKey::new(&loaded.key, cert).map_err(|e| Failure::usage(e.to_string()))?;
    let data = output::read_input(&args.input)?;
    let attachment = match args.method {
        SignMethod::CmsWithData => Attachment::WithData,
        SignMethod::CmsSignOnly => Attachment::SignOnly,
        SignMethod::Xml => return Err(Failure::usage("unreachable: XML handled above")),
    };
    let options = SignOptions::new(attachment, crate::pki_args::now());
    let mut rng = mgovsign_crypto::os_rng();
    let client = match &args.tsa {
        Some(url) => {
            let mut c = TspClient::http(url.clone());
            if let Some(p) = &args.tsa_policy {
                let oid = const_oid::ObjectIdentifier::new(p)
                    .map_err(|e| Failure::usage(format!("--tsa-policy {p}: {e}")))?;
                c = c.with_policy(oid);
            }
            Some(c)
        }
        None => None,
    };
    let algorithm = signer.algorithm();
    let stamp = |sig: &[u8]| -> Result<Vec<u8>, String> {
        let c = client.as_ref().ok_or("no TSA configured")?;
        let mut rng = mgovsign_crypto::os_rng();
        c.timestamp(Imprint::for_signer(&algorithm, sig), &mut rng)
            .map(|granted| granted.token_der)
            .map_err(|e| format!("{}: {e}", c.url()))
    };
    let existing = args
        .cosign
        .as_ref()
        .map(|p| output::read_input(p))
        .transpose()?;
    let result = match (&existing, client.is_some()) {
        (None, false) => mgovsign_cms::sign(&data, &signer, &options, &mut rng),
        (None, true) => {
            mgovsign_cms::sign_with_timestamp(&data, &signer, &options, &mut rng, stamp)
        }
        (Some(cms), with_tsa) => {
            let detached = mgovsign_cms::SignedData::parse(cms, &options.limits)
                .map_err(|e| Failure::usage(format!("--cosign: {e}")))?
                .is_detached()
                .then_some(data.as_slice());
            if with_tsa {
                mgovsign_cms::cosign_with_timestamp(
                    cms, detached, &signer, &options, &mut rng, stamp,
                )
            } else {
                mgovsign_cms::cosign(cms, detached, &signer, &options, &mut rng)
            }
        }
    };
    let cms = result.map_err(|e| Failure::usage(format!("signing failed: {e}")))?;
    match &args.output {
        Some(path) if args.base64 => {
            output::write_file(path, format!("{}\n", cms.to_base64()).as_bytes())?
        }
        Some(path) => output::write_file(path, cms.der())?,
        None => output::print(&cms.to_base64()),
    }
    output::eprint(&format!(
        "signed: {} by {}{}",
        algorithm,
        cert.info()
            .common_name
            .unwrap_or_else(|| cert.info().subject),
        if client.is_some() {
            ", timestamped"
        } else {
            ", no timestamp"
        }
    ));
    Ok(())
}
