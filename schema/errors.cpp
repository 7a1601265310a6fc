#include "schema/errors.h"

#include <boost/json.hpp>

namespace lp {
namespace {
struct entry {
  reason_info info;
  std::string_view de;
  std::string_view en;
};

const entry& lookup(reason r) {
  static const entry table[] = {
      {{401, "authentication_error", "invalid_api_key"},
       "Kein gültiger API-Schlüssel. Bitte prüfen Sie den Schlüssel oder wenden Sie sich an die IT.",
       "No valid API key. Check your key or contact IT."},
      {{400, "invalid_request_error", "invalid_json"},
       "Die Anfrage ist kein gültiges JSON.", "The request body is not valid JSON."},
      {{400, "invalid_request_error", "invalid_utf8"},
       "Die Anfrage enthält ungültige Zeichen (kein UTF-8).",
       "The request body is not valid UTF-8."},
      {{400, "invalid_request_error", "invalid_request"},
       "Die Anfrage hat nicht das erwartete Format.",
       "The request does not have the expected format."},
      {{415, "invalid_request_error", "unsupported_media_type"},
       "Die Anfrage muss als application/json gesendet werden.",
       "The request must be sent as application/json."},
      {{413, "invalid_request_error", "body_too_large"},
       "Die Anfrage ist zu groß.", "The request body is too large."},
      {{404, "invalid_request_error", "not_found"},
       "Diese Adresse gibt es nicht.", "Unknown path."},
      {{405, "invalid_request_error", "method_not_allowed"},
       "Diese Methode ist hier nicht erlaubt.", "Method not allowed here."},
      {{404, "invalid_request_error", "model_not_found"},
       "Dieses Modell ist nicht eingerichtet.", "This model is not configured."},
      {{403, "policy_violation", "policy_denied"},
       "Die Anfrage wurde durch die KI-Richtlinie abgelehnt.",
       "The request was refused by the AI policy."},
      {{428, "policy_violation", "acknowledgement_required"},
       "Diese Anfrage betrifft eine Entscheidung, die Menschen treffen müssen. Die KI darf nur "
       "unterstützen: Bestätigen Sie, dass Sie das Ergebnis selbst prüfen und entscheiden, indem Sie "
       "die Anfrage mit dem Header \"X-Leitplanke-Acknowledge: human-review\" erneut senden.",
       "This request concerns a decision that people must take. AI may only support it: confirm "
       "that you will review the result and decide yourself by resending the request with the "
       "header \"X-Leitplanke-Acknowledge: human-review\"."},
      {{502, "upstream_error", "upstream_unavailable"},
       "Der KI-Dienst ist zurzeit nicht erreichbar. Bitte versuchen Sie es später erneut.",
       "The AI service is currently unreachable. Please try again later."},
      {{504, "upstream_error", "upstream_timeout"},
       "Der KI-Dienst hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es später erneut.",
       "The AI service did not answer in time. Please try again later."},
      {{502, "upstream_error", "bad_upstream_response"},
       "Der KI-Dienst hat eine ungültige Antwort geliefert.",
       "The AI service returned an invalid response."},
      {{503, "server_error", "audit_unavailable"},
       "Die Protokollierung ist zurzeit nicht möglich; die Anfrage wurde daher nicht weitergeleitet.",
       "Audit logging is currently unavailable, so the request was not forwarded."},
      {{503, "server_error", "shutting_down"},
       "Das KI-Gateway wird gerade neu gestartet. Bitte versuchen Sie es gleich erneut.",
       "The AI gateway is restarting. Please try again shortly."},
      {{500, "server_error", "internal_error"},
       "Interner Fehler im KI-Gateway.", "Internal error in the AI gateway."},
  };
  return table[static_cast<std::size_t>(r)];
}
}  // namespace

reason_info info(reason r) { return lookup(r).info; }

std::string_view message(reason r, language lang) {
  return lang == language::de ? lookup(r).de : lookup(r).en;
}

std::string error_body(reason r, language lang, std::string_view detail, std::string_view rule) {
  const auto& e = lookup(r);
  std::string msg(message(r, lang));
  if (!detail.empty()) {
    msg += ' ';
    msg += detail;
  }
  boost::json::object err;
  err["message"] = msg;
  err["type"] = e.info.type;
  err["code"] = e.info.code;
  err["param"] = nullptr;
  if (!rule.empty()) err["rule"] = rule;
  boost::json::object root;
  root["error"] = std::move(err);
  return boost::json::serialize(root);
}

}  // namespace lp
