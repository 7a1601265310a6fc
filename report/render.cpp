#include "report/render.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <fcntl.h>
#include <iterator>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lp::report {

namespace {

std::string esc(const std::string& s) { return html_escape(s); }

std::string md_cell(std::string s) {
  for (std::size_t i = 0; (i = s.find('|', i)) != std::string::npos; i += 2) s.replace(i, 1, "\\|");
  return s;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

const char* human_label(language l) {
  return l == language::en ? "To be written by the administration" : "Von der Verwaltung zu ergänzen";
}

const char* audience_label(const document& d) {
  const bool en = d.lang == language::en;
  switch (d.aud) {
    case audience::pub: return en ? "Public report" : "Öffentlicher Bericht";
    case audience::dpo: return en ? "For the data protection officer" : "Für die Datenschutzbeauftragte Stelle";
    default: return en ? "Committee document" : "Ausschussvorlage";
  }
}

// The published value of a cell, for charts (rounded like the tables; hidden: -1).
double plotted(const document& d, const std::string& id) {
  const auto* c = d.figures.find(id);
  if (!c || c->st != status::shown) return -1;
  if (c->k == kind::eur || c->k == kind::kwh) return c->value;
  return static_cast<double>(round_to(c->value, d.rounding));
}

constexpr const char* palette[] = {"#1f5f8b", "#e0a030", "#4c9a6a", "#b5485d", "#7a6fb0", "#8a8a8a"};

// Horizontal bars, one per row (margins left out); "stacked": segments per column, "single":
// the first column. Hidden figures are drawn as a hatched stub labelled as such.
std::string svg_chart(const document& d, const table& t) {
  const bool stacked = t.chart == "stacked";
  std::vector<std::size_t> rows, cols;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (t.rows[r] != "_total") rows.push_back(r);
  }
  for (std::size_t c = 0; c < t.cols.size(); ++c) {
    if (t.cols[c] != "_total" && (stacked || c == 0)) cols.push_back(c);
  }
  if (rows.empty() || cols.empty()) return "";
  double max = 0;
  for (auto r : rows) {
    double sum = 0;
    for (auto c : cols) sum += std::max(0.0, plotted(d, t.cells[r][c]));
    max = std::max(max, sum);
  }
  const int label_w = 200, bar_w = 420, row_h = 22, top = 8;
  const int legend_h = stacked ? 24 : 0;
  const int height = top + static_cast<int>(rows.size()) * row_h + legend_h + 8;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 " << (label_w + bar_w + 80) << " " << height
    << "\" width=\"" << (label_w + bar_w + 80) << "\" height=\"" << height << "\"><title>" << esc(t.caption) << "</title>"
    << "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
    << "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#999\" stroke-width=\"2\"/></pattern></defs>"
    << "<style>text{font:11px 'DejaVu Sans',sans-serif;fill:#222}</style>";
  const char* hidden = d.lang == language::en ? "not shown (protection of small groups)" : "nicht ausgewiesen (Schutz kleiner Gruppen)";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto r = rows[i];
    const int y = top + static_cast<int>(i) * row_h;
    std::string label = t.row_labels[r];
    if (label.size() > 34) label = label.substr(0, 31) + "…";
    o << "<text x=\"" << (label_w - 6) << "\" y=\"" << (y + 14) << "\" text-anchor=\"end\">" << esc(label) << "</text>";
    double x = label_w;
    bool any_hidden = false;
    double sum = 0;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const double v = plotted(d, t.cells[r][cols[k]]);
      if (v < 0) {
        any_hidden = !t.cells[r][cols[k]].empty() || any_hidden;
        continue;
      }
      const double w = max > 0 ? v / max * bar_w : 0;
      if (w > 0) {
        o << "<rect x=\"" << x << "\" y=\"" << (y + 3) << "\" width=\"" << w << "\" height=\"" << (row_h - 6) << "\" fill=\""
          << palette[k % 6] << "\"><title>" << esc(t.row_labels[r] + " · " + t.col_labels[cols[k]] + ": " + format_cell(d, t.cells[r][cols[k]]))
          << "</title></rect>";
      }
      x += w;
      sum += v;
    }
    if (any_hidden) {
      o << "<rect x=\"" << x << "\" y=\"" << (y + 3) << "\" width=\"14\" height=\"" << (row_h - 6) << "\" fill=\"url(#hatch)\" stroke=\"#999\"/>";
      o << "<text x=\"" << (x + 18) << "\" y=\"" << (y + 14) << "\" fill=\"#666\">" << (sum > 0 ? "+ " : "") << hidden << "</text>";
    } else {
      std::ostringstream v;
      v << format_cell(d, t.cells[r][cols[0]]);
      if (stacked) {
        // The row total is the last column when the table has margins.
        const std::string& total = t.cells[r].back();
        v.str(format_cell(d, total));
      }
      o << "<text x=\"" << (x + 4) << "\" y=\"" << (y + 14) << "\">" << esc(v.str()) << "</text>";
    }
  }
  if (stacked) {
    int x = label_w;
    const int y = top + static_cast<int>(rows.size()) * row_h + 8;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      o << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"10\" height=\"10\" fill=\"" << palette[k % 6] << "\"/>";
      o << "<text x=\"" << (x + 14) << "\" y=\"" << (y + 9) << "\">" << esc(t.col_labels[cols[k]]) << "</text>";
      x += 34 + static_cast<int>(t.col_labels[cols[k]].size()) * 8;
    }
  }
  o << "</svg>";
  return o.str();
}

constexpr const char* css = R"(
@page { size: A4; margin: 22mm 18mm 22mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 9pt 'DejaVu Sans', sans-serif; color: #555; }
  @bottom-left { content: string(doctitle); font: 9pt 'DejaVu Sans', sans-serif; color: #555; } }
@page :first { @bottom-right { content: none; } @bottom-left { content: none; } }
body { font: 10.5pt/1.45 'DejaVu Sans', sans-serif; color: #1a1a1a; max-width: 52em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 22pt; margin: 0 0 .3em; string-set: doctitle content(); }
h2 { font-size: 14pt; margin: 1.6em 0 .4em; border-bottom: 1px solid #1f5f8b; color: #1f5f8b; break-after: avoid; }
h2 .num { font-weight: normal; color: #555; margin-right: .4em; }
.titlepage { break-after: page; min-height: 60vh; }
.titlepage .meta { margin-top: 3em; color: #333; }
.titlepage .kind { text-transform: uppercase; letter-spacing: .08em; color: #1f5f8b; font-size: 9pt; }
nav.toc { break-after: page; }
nav.toc ol { list-style: none; padding: 0; }
nav.toc li { margin: .25em 0; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
blockquote.question { margin: .4em 0 1em; padding: .5em .8em; background: #f2f5f8; border-left: 3px solid #1f5f8b; font-style: italic; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: 9pt; break-inside: avoid; }
caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
th, td { border: 1px solid #c8ced6; padding: .2em .5em; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.hidden { color: #888; text-align: center; }
tr.total td, tr.total th, td.total { font-weight: bold; background: #f6f7f9; }
.human { border: 1px dashed #b5485d; background: #fff7f8; padding: .5em .8em; margin: .8em 0; break-inside: avoid; }
.human strong { color: #b5485d; }
figure { margin: 1em 0 .2em; break-inside: avoid; break-after: avoid; }
svg.chart { max-width: 100%; height: auto; }
.legend { font-size: 8.5pt; color: #555; }
)";

void html_table(std::ostringstream& o, const document& d, const table& t) {
  if (!t.chart.empty()) o << "<figure>" << svg_chart(d, t) << "</figure>\n";
  o << "<table id=\"t-" << esc(t.id) << "\"><caption>" << esc(t.caption) << "</caption><thead><tr><th></th>";
  for (const auto& c : t.col_labels) o << "<th>" << esc(c) << "</th>";
  o << "</tr></thead><tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    o << "<tr" << (t.rows[r] == "_total" ? " class=\"total\"" : "") << "><th>" << esc(t.row_labels[r]) << "</th>";
    for (std::size_t c = 0; c < t.cols.size(); ++c) {
      const std::string& id = t.cells[r][c];
      const auto* cell = id.empty() ? nullptr : d.figures.find(id);
      const bool hidden = cell && cell->st != status::shown;
      o << "<td class=\"" << (hidden ? "hidden" : "n") << (t.cols[c] == "_total" ? " total" : "") << "\"";
      if (hidden) o << " title=\"" << (cell->st == status::suppressed ? "primary" : "complementary") << "\"";
      o << ">" << esc(id.empty() ? "" : format_cell(d, id)) << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</tbody></table>\n";
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string to_html(const document& d) {
  const bool en = d.lang == language::en;
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"" << (en ? "en" : "de") << "\"><head><meta charset=\"utf-8\"><title>" << esc(d.title) << " " << esc(d.period_label)
    << "</title><style>" << css << "</style></head><body>\n";
  o << "<section class=\"titlepage\"><p class=\"kind\">" << audience_label(d) << "</p><h1>" << esc(d.title) << "</h1><p>" << esc(d.subtitle)
    << "</p><div class=\"meta\"><p><strong>" << esc(d.organisation) << "</strong></p><p>" << (en ? "Generated " : "Erstellt am ")
    << esc(d.generated_at) << (en ? " from the decision log of the leitplanke AI gateway" : " aus dem Entscheidungsprotokoll des KI-Gateways leitplanke")
    << "</p><p>" << (en ? "Policy version " : "Richtlinienversion ") << esc(d.policy_version) << "</p><p class=\"legend\">"
    << (en ? "– : not shown, because the figure would rest on fewer than " : "– : nicht ausgewiesen, weil der Wert auf weniger als ") << d.k
    << (en ? " people or would reveal such a figure." : " Personen beruhen oder einen solchen Wert offenlegen würde.") << "</p></div></section>\n";
  o << "<nav class=\"toc\"><h2>" << (en ? "Contents" : "Inhalt") << "</h2><ol>\n";
  for (const auto& s : d.sections) {
    o << "<li><a href=\"#" << esc(s.id) << "\">" << (s.number.empty() ? "" : esc(s.number) + ": ") << esc(s.title) << "</a></li>\n";
  }
  o << "</ol></nav>\n";
  for (const auto& s : d.sections) {
    o << "<section id=\"" << esc(s.id) << "\"><h2>";
    if (!s.number.empty()) o << "<span class=\"num\">" << esc(s.number) << "</span>";
    o << esc(s.title) << "</h2>\n";
    for (const auto& b : s.blocks) {
      switch (b.k) {
        case block::kind::text: o << "<p>" << esc(b.text) << "</p>\n"; break;
        case block::kind::question: o << "<blockquote class=\"question\">" << esc(b.text) << "</blockquote>\n"; break;
        case block::kind::list:
          o << "<ul>";
          for (const auto& i : b.items) o << "<li>" << esc(i) << "</li>";
          o << "</ul>\n";
          break;
        case block::kind::table: html_table(o, d, d.tables[b.table]); break;
        case block::kind::human:
          o << "<div class=\"human\"><strong>" << human_label(d.lang) << ":</strong> " << esc(b.text) << "</div>\n";
          break;
      }
    }
    o << "</section>\n";
  }
  o << "</body></html>\n";
  return o.str();
}

std::string to_markdown(const document& d) {
  const bool en = d.lang == language::en;
  std::ostringstream o;
  o << "# " << d.title << "\n\n" << d.subtitle << "\n\n" << d.organisation << " · " << audience_label(d) << " · "
    << (en ? "generated " : "erstellt am ") << d.generated_at << " · " << (en ? "policy version " : "Richtlinienversion ") << d.policy_version
    << "\n\n" << (en ? "–: not shown (fewer than " : "–: nicht ausgewiesen (weniger als ") << d.k << (en ? " people)." : " Personen).") << "\n\n";
  o << "## " << (en ? "Contents" : "Inhalt") << "\n\n";
  for (const auto& s : d.sections) o << "- [" << (s.number.empty() ? "" : s.number + ": ") << s.title << "](#" << s.id << ")\n";
  for (const auto& s : d.sections) {
    o << "\n## " << (s.number.empty() ? "" : s.number + ": ") << s.title << " {#" << s.id << "}\n\n";
    for (const auto& b : s.blocks) {
      switch (b.k) {
        case block::kind::text: o << b.text << "\n\n"; break;
        case block::kind::question: o << "> *" << b.text << "*\n\n"; break;
        case block::kind::list:
          for (const auto& i : b.items) o << "- " << i << "\n";
          o << "\n";
          break;
        case block::kind::human: o << "> **" << human_label(d.lang) << ":** " << b.text << "\n\n"; break;
        case block::kind::table: {
          const auto& t = d.tables[b.table];
          o << "**" << t.caption << "**\n\n|";
          for (const auto& c : t.col_labels) o << " | " << md_cell(c);
          o << " |\n|---";
          for (std::size_t c = 0; c < t.cols.size(); ++c) o << "|---:";
          o << "|\n";
          for (std::size_t r = 0; r < t.rows.size(); ++r) {
            o << "| " << md_cell(t.row_labels[r]);
            for (std::size_t c = 0; c < t.cols.size(); ++c) o << " | " << md_cell(t.cells[r][c].empty() ? "" : format_cell(d, t.cells[r][c]));
            o << " |\n";
          }
          o << "\n";
          break;
        }
      }
    }
  }
  return o.str();
}

std::string to_csv(const document& d) {
  std::ostringstream o;
  o << "table,row,column,value,status\n";
  for (const auto& t : d.tables) {
    bool listed = false;  // only the tables the document shows (the audience decides)
    for (const auto& s : d.sections) {
      for (const auto& b : s.blocks) listed = listed || (b.k == block::kind::table && &d.tables[b.table] == &t);
    }
    if (!listed) continue;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      for (std::size_t c = 0; c < t.cols.size(); ++c) {
        const std::string& id = t.cells[r][c];
        const auto* cell = id.empty() ? nullptr : d.figures.find(id);
        if (!cell) continue;
        o << csv_field(t.id) << "," << csv_field(t.rows[r]) << "," << csv_field(t.cols[c]) << "," << csv_value(d, id) << ","
          << to_string(cell->st) << "\n";
      }
    }
  }
  return o.str();
}

bool html_to_pdf(const std::string& html, const std::string& out, std::string& error) {
  char dir[] = "/tmp/leitplanke-report-XXXXXX";
  if (!mkdtemp(dir)) {
    error = "cannot create a temporary directory";
    return false;
  }
  const std::string in = std::string(dir) + "/report.html", log = std::string(dir) + "/weasyprint.log";
  {
    std::ofstream f(in, std::ios::binary);
    f << html;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    const char* engine = std::getenv("LEITPLANKE_WEASYPRINT");
    execlp(engine ? engine : "weasyprint", "weasyprint", "--quiet", in.c_str(), out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int st = 0;
  if (pid < 0 || waitpid(pid, &st, 0) < 0) {
    error = "cannot start weasyprint";
  } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    std::ifstream f(log);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    error = WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "weasyprint not found (Debian package weasyprint)"
                                                    : "weasyprint failed: " + text.substr(0, 400);
  }
  std::remove(in.c_str());
  std::remove(log.c_str());
  ::rmdir(dir);
  return error.empty();
}

}  // namespace lp::report
