// Gateway error reasons and their OpenAI-shaped JSON bodies. One table maps each reason to an
// HTTP status, an OpenAI error type, a stable code and German/English texts (STYLE rule 13).
#pragma once

#include <string>
#include <string_view>

namespace lp {

enum class language : unsigned char { de, en };

// Reasons the gateway answers with an error. The `code` string of each is stable API.
enum class reason : unsigned char {
  invalid_api_key,         // 401: key missing, unknown or revoked
  invalid_json,            // 400: body is not JSON
  invalid_utf8,            // 400: body is not well-formed UTF-8
  invalid_request,         // 400: JSON of the wrong shape (missing model, messages not an array)
  unsupported_media_type,  // 415: Content-Type is not application/json
  body_too_large,          // 413: body above limits.max_body_bytes
  not_found,               // 404: unknown path
  method_not_allowed,      // 405: known path, wrong method
  model_not_found,         // 404: model not in the configuration
  policy_denied,           // 403: a policy rule (or the default) refused the request
  acknowledgement_required,  // 428: a rule requires confirmed human review (resend with the header)
  upstream_unavailable,    // 502: upstream unreachable, TLS failure, connection dropped
  upstream_timeout,        // 504: upstream did not answer in time
  bad_upstream_response,   // 502: upstream answered something that is not HTTP/JSON as expected
  audit_unavailable,       // 503: the audit queue is full; fail closed (retry later)
  shutting_down,           // 503: the gateway is draining
  internal_error,          // 500: a bug; details are logged, never sent
};

struct reason_info {
  int status;
  std::string_view type;  // OpenAI error type
  std::string_view code;
};

reason_info info(reason r);

// The user-facing message in the given language.
std::string_view message(reason r, language lang);

// {"error":{"message":..., "type":..., "code":..., "param":null[, "rule":...]}}. `detail` is
// appended to the message after ": " when not empty; `rule` adds the determining rule id.
std::string error_body(reason r, language lang, std::string_view detail = {}, std::string_view rule = {});

}  // namespace lp
