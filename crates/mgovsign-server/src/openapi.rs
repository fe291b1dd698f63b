//! The OpenAPI 3.1 document served at `/openapi.json`, written by hand (kept in sync with the
//! router by `tests/openapi.rs`, which checks every `(method, path)` in [`ROUTES`]).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::error::json_bytes;

/// Every route of [`crate::app`] as `(method, OpenAPI path)`.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api1/{id}"),
    ("get", "/api2/{id}"),
    ("post", "/api2/{id}"),
    ("put", "/api2/{id}"),
    ("post", "/v1/sessions"),
    ("get", "/v1/sessions"),
    ("get", "/v1/sessions/{id}"),
    ("post", "/v1/sessions/{id}/cancel"),
    ("get", "/v1/sessions/{id}/result"),
    ("get", "/v1/sessions/{id}/audit"),
    ("get", "/s/{id}"),
    ("get", "/s/{id}/status"),
    ("get", "/s/{id}/events"),
    ("get", "/openapi.json"),
    ("get", "/healthz"),
    ("get", "/metrics"),
];

fn err(desc: &str) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok(desc: &str, schema: &str) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
}

fn lang_param() -> Value {
    json!({"name": "Accept-Language", "in": "header", "required": false,
           "schema": {"type": "string"}, "description": "ru (default), kk or en: the language of `message`"})
}

/// The document.
#[must_use]
pub fn document() -> Value {
    let app_sec = json!([{}, {"appToken": []}]);
    let svc_sec = json!([{"apiKey": []}]);
    json!({
      "openapi": "3.1.0",
      "info": {"title": "mgovsign-server", "version": env!("CARGO_PKG_VERSION"),
               "description": "Signing sessions for eGov Mobile QR and cross signing. Conventions: docs/API.md."},
      "paths": {
        "/api1/{id}": {"get": {"tags": ["app"], "summary": "API №1: general data", "operationId": "api1",
            "parameters": [id_param(), lang_param()],
            "responses": {"200": ok("API №1 response", "Api1"), "404": err("unknown session"),
                          "409": err("already signed"), "403": err("rejected"), "410": err("expired or cancelled")}}},
        "/api2/{id}": {
          "get": {"tags": ["app"], "summary": "API №2: the documents (auth None or Token)", "operationId": "api2Get",
            "security": app_sec, "parameters": [id_param(), lang_param()],
            "responses": {"200": ok("the API №2 JSON exactly as issued", "Api2"), "401": err("missing or wrong Bearer token; Eds sessions must POST"),
                          "404": err("unknown session"), "409": err("already signed"), "410": err("expired or cancelled")}},
          "post": {"tags": ["app"], "summary": "API №2: Eds login, then the documents", "operationId": "api2Login",
            "parameters": [id_param(), lang_param()],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EdsLogin"}}}},
            "responses": {"200": ok("the API №2 JSON exactly as issued", "Api2"), "400": err("not {\"xml\"} or not an Eds session"),
                          "401": err("login signature, url, timeStamp or replay refused"), "403": err("certificate invalid, or another signer than expected/bound"),
                          "404": err("unknown session"), "409": err("already signed"), "410": err("expired or cancelled"), "413": err("body too large")}},
          "put": {"tags": ["app"], "summary": "API №2: the signed documents", "operationId": "api2Put",
            "security": app_sec, "parameters": [id_param(), lang_param()],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Api2"}}}},
            "responses": {"200": ok("{\"message\":\"success\"}: every signature VALID (an identical retried PUT gets it again)", "Error"),
                          "400": err("not a JSON object"), "401": err("wrong token / no Eds login"), "403": err("verification failed (localised reason)"),
                          "404": err("unknown session"), "409": err("a different PUT after completion"), "410": err("expired or cancelled"), "413": err("body too large")}}
        },
        "/v1/sessions": {
          "post": {"tags": ["service"], "summary": "Create a signing session", "operationId": "createSession",
            "security": svc_sec, "parameters": [lang_param()],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateSession"}}}},
            "responses": {"201": ok("created", "SessionCreated"), "400": err("invalid request (every problem listed)"), "401": err("API key"), "413": err("body too large")}},
          "get": {"tags": ["service"], "summary": "List this key's sessions, newest first", "operationId": "listSessions",
            "security": svc_sec,
            "parameters": [lang_param(),
              {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
              {"name": "before", "in": "query", "schema": {"type": "string"}, "description": "created before this time (paging)"}],
            "responses": {"200": ok("sessions", "SessionList"), "400": err("bad query"), "401": err("API key")}}
        },
        "/v1/sessions/{id}": {"get": {"tags": ["service"], "summary": "Session status", "operationId": "getSession",
            "security": svc_sec, "parameters": [id_param(), lang_param()],
            "responses": {"200": ok("the session", "Session"), "401": err("API key"), "404": err("unknown (or another key's) session")}}},
        "/v1/sessions/{id}/cancel": {"post": {"tags": ["service"], "summary": "Cancel a pending session", "operationId": "cancelSession",
            "security": svc_sec, "parameters": [id_param(), lang_param()],
            "responses": {"200": ok("cancelled", "Session"), "401": err("API key"), "404": err("unknown"), "409": err("already completed")}}},
        "/v1/sessions/{id}/result": {"get": {"tags": ["service"], "summary": "Signed documents and the verification report", "operationId": "getResult",
            "security": svc_sec, "parameters": [id_param(), lang_param()],
            "responses": {"200": ok("result", "Result"), "401": err("API key"), "404": err("unknown"), "409": err("not completed")}}},
        "/v1/sessions/{id}/audit": {"get": {"tags": ["service"], "summary": "The session's audit log", "operationId": "getAudit",
            "security": svc_sec, "parameters": [id_param(), lang_param()],
            "responses": {"200": ok("entries", "AuditLog"), "401": err("API key"), "404": err("unknown")}}},
        "/s/{id}": {"get": {"tags": ["page"], "summary": "Web page: QR code, app buttons, live status", "operationId": "page",
            "parameters": [id_param(), {"name": "lang", "in": "query", "schema": {"enum": ["ru", "kk", "en"]}}],
            "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}, "404": err("unknown")}}},
        "/s/{id}/status": {"get": {"tags": ["page"], "summary": "Status polled by the page", "operationId": "pageStatus",
            "parameters": [id_param(), {"name": "lang", "in": "query", "schema": {"enum": ["ru", "kk", "en"]}}],
            "responses": {"200": ok("status", "PageStatus"), "404": err("unknown")}}},
        "/s/{id}/events": {"get": {"tags": ["page"], "summary": "Live status as server-sent events (`event: status`, data as PageStatus; ends after the final status)", "operationId": "pageEvents",
            "parameters": [id_param(), {"name": "lang", "in": "query", "schema": {"enum": ["ru", "kk", "en"]}}],
            "responses": {"200": {"description": "event stream", "content": {"text/event-stream": {}}}, "404": err("unknown")}}},
        "/openapi.json": {"get": {"tags": ["meta"], "summary": "This document", "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}},
        "/healthz": {"get": {"tags": ["meta"], "summary": "Liveness and store check", "operationId": "healthz",
            "responses": {"200": {"description": "ok"}, "503": {"description": "store unavailable"}}}},
        "/metrics": {"get": {"tags": ["meta"], "summary": "Prometheus text exposition (counters, verification latency, sessions by status, outbox backlog)", "operationId": "metrics",
            "security": svc_sec,
            "responses": {"200": {"description": "text/plain; version=0.0.4", "content": {"text/plain": {}}}, "401": err("API key")}}}
      },
      "components": {
        "securitySchemes": {
          "apiKey": {"type": "http", "scheme": "bearer", "description": "a service API key from the server configuration"},
          "appToken": {"type": "http", "scheme": "bearer", "description": "API №1 `auth_token` (auth_type Token)"}
        },
        "schemas": {
          "Error": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
          "Status": {"enum": ["created", "fetched", "signed", "rejected", "expired", "cancelled"]},
          "Api1": {"type": "object", "description": "PROTOCOL.md API №1"},
          "Api2": {"type": "object", "description": "PROTOCOL.md API №2"},
          "EdsLogin": {"type": "object", "required": ["xml"], "properties": {"xml": {"type": "string"}}},
          "Signer": {"type": ["object", "null"], "properties": {
              "iin": {"type": ["string", "null"]}, "bin": {"type": ["string", "null"]},
              "common_name": {"type": ["string", "null"]}, "organization": {"type": ["string", "null"]},
              "serial": {"type": "string"}, "subject": {"type": "string"}, "issuer": {"type": "string"}}},
          "CreateSession": {"type": "object", "additionalProperties": false,
            "required": ["description", "organisation", "sign_method", "auth_type", "documents"],
            "properties": {
              "description": {"type": "string"},
              "organisation": {"type": "object", "additionalProperties": false, "required": ["name_ru", "name_kz", "name_en", "bin"],
                 "properties": {"name_ru": {"type": "string"}, "name_kz": {"type": "string"}, "name_en": {"type": "string"}, "bin": {"type": "string", "pattern": "^[0-9]{12}$"}}},
              "sign_method": {"enum": ["XML", "CMS_WITH_DATA", "CMS_SIGN_ONLY", "SIGN_BYTES_ARRAY", "MIX_SIGN"]},
              "auth_type": {"enum": ["Token", "Eds", "None"]},
              "lifetime_secs": {"type": "integer", "minimum": 1, "default": 300},
              "expected_signer": {"type": "object", "additionalProperties": false, "properties": {
                  "iin": {"type": "string", "pattern": "^[0-9]{12}$"}, "bin": {"type": "string", "pattern": "^[0-9]{12}$"},
                  "roles": {"type": "array", "items": {"enum": ["individual", "individual_digital_system", "legal_entity", "first_head", "sign_right",
                     "financial_sign_right", "human_resources", "employee", "information_system", "remote_identification", "treasury_client"]}}}},
              "callback_url": {"type": "string"},
              "documents": {"type": "array", "minItems": 1, "items": {"type": "object", "additionalProperties": false,
                 "required": ["name_ru", "name_kz", "name_en"],
                 "properties": {
                   "id": {"type": ["integer", "string"], "description": "default: position + 1"},
                   "sign_method": {"enum": ["XML", "CMS_WITH_DATA", "CMS_SIGN_ONLY", "SIGN_BYTES_ARRAY"], "description": "exactly under MIX_SIGN"},
                   "name_ru": {"type": "string"}, "name_kz": {"type": "string"}, "name_en": {"type": "string"},
                   "meta": {"type": "array", "items": {"type": "object", "required": ["name", "value"], "properties": {"name": {"type": "string"}, "value": {"type": "string"}}}},
                   "xml": {"type": "string", "description": "XML method"},
                   "file": {"type": "object", "required": ["mime", "data"], "properties": {"mime": {"type": "string"}, "data": {"type": "string", "description": "base64 under CMS_*"}}}}}}}},
          "Session": {"type": "object", "properties": {
              "id": {"type": "string"}, "status": {"$ref": "#/components/schemas/Status"}, "description": {"type": "string"},
              "auth_type": {"type": "string"}, "created_at": {"type": "string"}, "expires_at": {"type": "string"},
              "fetched_at": {"type": ["string", "null"]}, "completed_at": {"type": ["string", "null"]},
              "expected_signer": {"type": "object"}, "bound_signer": {"$ref": "#/components/schemas/Signer"},
              "signer": {"$ref": "#/components/schemas/Signer"}, "callback_url": {"type": ["string", "null"]},
              "api1_url": {"type": "string"}, "page_url": {"type": "string"}}},
          "SessionCreated": {"allOf": [{"$ref": "#/components/schemas/Session"}, {"type": "object", "properties": {
              "api2_url": {"type": "string"}, "qr_payload": {"type": "string"}, "qr_svg": {"type": "string"},
              "links": {"type": "array", "items": {"type": "object", "properties": {
                  "host": {"enum": ["m.egov.kz", "mgovsign.page.link"]}, "app": {"enum": ["mobile", "business"]},
                  "platform": {"enum": ["ios", "android", null]}, "url": {"type": "string"}}}}}}]},
          "SessionList": {"type": "object", "properties": {"sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}}}},
          "Result": {"type": "object", "properties": {
              "id": {"type": "string"}, "status": {"enum": ["signed", "rejected"]}, "signer": {"$ref": "#/components/schemas/Signer"},
              "completed_at": {"type": "string"},
              "documents": {"type": "array", "items": {"type": "object", "properties": {
                  "id": {"type": ["integer", "string"]}, "sign_method": {"type": "string"},
                  "name_ru": {"type": "string"}, "name_kz": {"type": "string"}, "name_en": {"type": "string"},
                  "format": {"enum": ["cms", "xml", "raw"]}, "file_name": {"type": "string"}, "mime": {"type": "string"},
                  "data": {"type": "string", "description": "cms: base64 CMS (.p7s); xml: the signed XML; raw: the {signature, certificate} JSON string"}}}},
              "report": {"type": "object", "description": "mgovsign.api2.verification/1 (see the mgovsign crate's manual)"}}},
          "AuditLog": {"type": "object", "properties": {"entries": {"type": "array", "items": {"type": "object", "properties": {
              "at": {"type": "string"}, "actor": {"type": "string"}, "remote": {"type": ["string", "null"]}, "event": {"type": "string"},
              "certificate": {"type": ["string", "null"]}, "detail": {"type": ["string", "null"]}}}}}},
          "PageStatus": {"type": "object", "properties": {"status": {"$ref": "#/components/schemas/Status"}, "status_text": {"type": "string"},
              "final": {"type": "boolean"}, "signer": {"type": ["string", "null"]}}}
        }
      }
    })
}

pub(crate) async fn serve() -> Response {
    json_bytes(StatusCode::OK, document().to_string().into_bytes())
}
