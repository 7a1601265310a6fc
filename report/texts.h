// German (default) and English texts of reports: the council's questions, entity types,
// principles, register statuses, and rules rendered in words.
#pragma once

#include <string>

#include "policy/policy.h"
#include "schema/errors.h"

namespace lp::report {

class texts {
 public:
  explicit texts(language lang) : lang_(lang) {}
  std::string operator()(const std::string& de, const std::string& en) const { return lang_ == language::en ? en : de; }
  language lang() const { return lang_; }

  // The council's 13 questions (inquiry of 24 March 2025): a short title and the full question.
  std::string question_title(int n) const;
  std::string question_text(int n) const;
  std::string entity(const std::string& type) const;         // "Namen" for PERSON
  std::string principle(const std::string& category) const;  // the ethical principle a rule category serves
  std::string register_status(const std::string& status) const;
  std::string risk_class(const std::string& risk) const;
  std::string money(double eur) const;
  // One line per service: name, provider, hosting, transfer basis, contract, models.
  std::string service_line(const policy::service& s, const policy::snapshot& p) const;
  // A rule in words: title, effect, conditions, reference, explanation.
  std::string describe(const policy::rule& r, const policy::snapshot& p) const;

 private:
  language lang_;
};

}  // namespace lp::report
