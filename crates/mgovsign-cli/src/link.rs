//! `mgovsign qr` and `mgovsign link`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use mgovsign_protocol::{self as protocol, App, LinkHost, Platform};
use serde_json::json;

use crate::output::{self, Failure, Outcome};
use crate::qr::Symbol;

/// `mgovsign qr <API1-URL>`.
#[derive(Args, Debug)]
pub(crate) struct QrArgs {
    /// The API №1 URL (an http(s) URL; a QR payload or cross-sign link is taken back to it).
    api1: String,
    /// Also write the code as a PNG image.
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
    /// Also write the code as an SVG image.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Do not draw the code in the terminal.
    #[arg(long)]
    no_draw: bool,
    /// Machine output: `{"payload": …}` on stdout.
    #[arg(long)]
    json: bool,
}

/// `mgovsign link <API1-URL>`.
#[derive(Args, Debug)]
pub(crate) struct LinkArgs {
    /// The API №1 URL (a QR payload or another link form is taken back to it).
    api1: String,
    /// Store parameters for this platform (`isi`/`ibi` or `apn`).
    #[arg(long, value_enum)]
    platform: PlatformArg,
    /// Which app the link opens.
    #[arg(long, value_enum, default_value_t = AppArg::Mobile)]
    app: AppArg,
    /// The documented `mgovsign.page.link` form, or the current `m.egov.kz` universal link.
    #[arg(long, value_enum, default_value_t = HostArg::PageLink)]
    host: HostArg,
    /// Machine output.
    #[arg(long)]
    json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum PlatformArg {
    Ios,
    Android,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum AppArg {
    /// eGov Mobile.
    Mobile,
    /// eGov Business.
    Business,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum HostArg {
    /// `https://mgovsign.page.link/` (the form in the official document).
    PageLink,
    /// `https://m.egov.kz/mobileSign/` or `/businessSign/`.
    Egov,
}

/// Any accepted starting point back to the API №1 URL.
fn api1_of(text: &str) -> Result<String, Failure> {
    protocol::api1_from_link(text).map_err(|e| Failure::usage(format!("{text:?}: {e}")))
}

pub(crate) fn run_qr(args: &QrArgs) -> Outcome {
    let api1 = api1_of(&args.api1)?;
    let payload = protocol::qr_payload(&api1).map_err(Failure::usage)?;
    let symbol = Symbol::new(&payload).map_err(Failure::usage)?;
    if let Some(path) = &args.png {
        output::write_file(path, &symbol.to_png().map_err(Failure::usage)?)?;
    }
    if let Some(path) = &args.svg {
        output::write_file(path, symbol.to_svg().as_bytes())?;
    }
    if args.json {
        output::print_json(&json!({ "payload": payload, "api1": api1 }));
    } else {
        output::print(&payload);
        if !args.no_draw {
            output::eprint(&symbol.to_terminal());
        }
    }
    Ok(())
}

pub(crate) fn run_link(args: &LinkArgs) -> Outcome {
    let api1 = api1_of(&args.api1)?;
    let platform = match args.platform {
        PlatformArg::Ios => Platform::Ios,
        PlatformArg::Android => Platform::Android,
    };
    let app = match args.app {
        AppArg::Mobile => App::Mobile,
        AppArg::Business => App::Business,
    };
    let host = match args.host {
        HostArg::PageLink => LinkHost::PageLink,
        HostArg::Egov => LinkHost::Egov,
    };
    let link =
        protocol::cross_sign_link(&api1, host, app, Some(platform)).map_err(Failure::usage)?;
    if args.json {
        output::print_json(&json!({ "link": link, "api1": api1 }));
    } else {
        output::print(&link);
    }
    Ok(())
}
