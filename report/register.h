// The AI register: one entry per use case and per AI service of the policy, with the union of
// the fields of the established public registers (Dutch Algoritmeregister 1.0, Amsterdam/
// Helsinki, UK ATRS, AI Act Annex VIII; research/governance.md §3a), filled from the policy
// and, when given, the report's (suppressed) usage figures. Required fields left empty are
// listed in `missing_required` of each entry, for the policy author.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "report/build.h"

namespace lp::report {

using register_entry_out = boost::json::object;

std::vector<register_entry_out> register_entries(const policy::snapshot& p, const document* usage, language lang,
                                                 const std::string& date);
std::string register_json(const std::vector<register_entry_out>& entries);
std::string register_html(const std::vector<register_entry_out>& entries, language lang);

}  // namespace lp::report
