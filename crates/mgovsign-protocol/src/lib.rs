//! mgovsign-protocol (docs below are replaced at the end of the session).

mod api1;
mod api2;
mod compare;
mod error;
mod expiry;
mod iin;
mod json;
mod lang;
mod link;
mod path;
mod report;
mod wire;

pub use api1::{Api1Auth, Api1Document, Api1Response, AuthType, Organisation};
pub use api2::{
    Api2Set, DocumentId, DocumentSignMethod, DocumentView, MetaItem, Mime, NewContent, NewDocument,
    SignMethod, ValidatedApi2Set, decode_data, is_base64,
};
pub use compare::{Difference, DifferenceKind, MAX_DIFFERENCES, compare_returned};
pub use error::ProtocolError;
pub use expiry::ExpiryDate;
pub use iin::{IinBinProblem, check_iin_bin, control_digit};
pub use lang::{Lang, UserMessage};
pub use link::{
    App, LinkForm, LinkHost, MAX_LINK_BYTES, ParsedLink, Platform, QR_PREFIX, Scheme,
    api1_from_link, check_http_url, cross_sign_link, encode_link_value, parse_link, qr_payload,
};
pub use path::{JsonPath, PathSegment};
pub use report::{
    ControlDigitPolicy, Limits, Problem, ProblemCode, Severity, UriSchemePolicy, ValidationOptions,
    ValidationReport,
};
pub use wire::{EdsAuthBody, ErrorEnvelope, SignBytesResult};
