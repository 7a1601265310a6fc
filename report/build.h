// A report as a document: sections along the council's 13 questions, tables whose cells are
// figures of one suppression ledger, charts drawn from tables, and marked places for what only
// people can write. Renderers (render.h) turn it into Markdown, HTML, CSV or PDF.
#pragma once

#include <string>
#include <vector>

#include "report/model.h"
#include "report/suppress.h"
#include "schema/errors.h"

namespace lp::report {

enum class audience : unsigned char { committee, pub, dpo };

struct options {
  audience aud = audience::committee;
  language lang = language::de;
  unsigned min_group = 0;  // 0: the policy's reporting.min_group_size; never below it
  std::string generated_at;  // "2026-11-26 08:00 UTC"
  // The policy when no version of it is recorded in the database (e.g. the config's file).
  policy::snapshot_ptr fallback_policy;
};

struct table {
  std::string id;  // CSV table name (report/README.md)
  std::string caption;
  std::vector<std::string> rows, cols;              // CSV row and column names
  std::vector<std::string> row_labels, col_labels;  // as displayed
  std::vector<std::vector<std::string>> cells;      // ledger ids ("" = no figure)
  std::string chart;  // "" | "stacked" (rows as bars stacked over the non-margin columns) | "single" (first column)
};

struct block {
  enum class kind : unsigned char { text, question, table, list, human } k = kind::text;
  std::string text;                // text, question; human: what to write
  std::size_t table = 0;           // kind::table: index into document::tables
  std::vector<std::string> items;  // kind::list
};

struct section {
  std::string id;       // anchor, e.g. "frage-3"
  std::string number;   // "Frage 3", "" for unnumbered
  std::string title;
  std::vector<block> blocks;
};

struct document {
  language lang = language::de;
  audience aud = audience::committee;
  std::string title, subtitle, organisation, period_label, generated_at, policy_version;
  unsigned k = 5, rounding = 5;
  std::vector<section> sections;
  std::vector<table> tables;
  ledger figures;
  std::vector<std::string> warnings;  // for the operator (stderr), not in the report
};

document build(const figures& current, const figures& previous, const options& o);

// A published figure as text ("1.235", "12,50 €", "–" when hidden), in the document's language.
std::string format_cell(const document& d, const std::string& id);
// The same for CSV: plain number, empty when hidden.
std::string csv_value(const document& d, const std::string& id);

}  // namespace lp::report
