//! The `gord/*` requests, one file each, routed from here: the one place
//! that says which handler answers which method. Each route is typed by the
//! request's declaration in `ext`, so a handler whose params or result
//! differ from the declared ones does not compile.

mod attach;
mod detach;
mod health;
mod lint_workspace;
mod preload;
mod procs;
mod remote_check;
mod remote_hosts;
mod report;
mod settings_create;
mod version;

use tower_lsp_server::jsonrpc::{Method, Result};
use tower_lsp_server::ls_types::notification::{Notification, WorkDoneProgressCancel};
use tower_lsp_server::LspServiceBuilder;

use super::ext::{self, NoParams, Request};
use super::Backend;

/// Every custom method the server answers, on top of tower-lsp's own.
pub fn routes(builder: LspServiceBuilder<Backend>) -> LspServiceBuilder<Backend> {
    let builder = request_without_params::<ext::Version, _>(builder, version::handle);
    let builder = request::<ext::Health, _>(builder, health::handle);
    let builder = request::<ext::Report, _>(builder, report::handle);
    let builder = request::<ext::LintWorkspace, _>(builder, lint_workspace::handle);
    let builder = request::<ext::Preload, _>(builder, preload::handle);
    let builder = request::<ext::RemoteHosts, _>(builder, remote_hosts::handle);
    let builder = request::<ext::RemoteCheck, _>(builder, remote_check::handle);
    let builder = request::<ext::Procs, _>(builder, procs::handle);
    let builder = request::<ext::Attach, _>(builder, attach::handle);
    let builder = request::<ext::Detach, _>(builder, detach::handle);
    let builder = request::<ext::SettingsCreate, _>(builder, settings_create::handle);
    // tower-lsp has no handler of its own for the user's Cancel.
    builder.custom_method(WorkDoneProgressCancel::METHOD, Backend::cancel_progress)
}

fn request<R, F>(builder: LspServiceBuilder<Backend>, handler: F) -> LspServiceBuilder<Backend>
where
    R: Request,
    F: for<'a> Method<&'a Backend, (R::Params,), Result<R::Result>> + Clone + Send + Sync + 'static,
{
    builder.custom_method(R::METHOD, handler)
}

/// A request whose `params` field is omitted.
fn request_without_params<R, F>(
    builder: LspServiceBuilder<Backend>,
    handler: F,
) -> LspServiceBuilder<Backend>
where
    R: Request<Params = NoParams>,
    F: for<'a> Method<&'a Backend, (), Result<R::Result>> + Clone + Send + Sync + 'static,
{
    builder.custom_method(R::METHOD, handler)
}
