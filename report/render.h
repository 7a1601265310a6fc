// Renderers of a report document: HTML (self-contained, SVG charts, print CSS for paged media),
// Markdown, CSV (the contract in report/README.md), and PDF from the HTML via WeasyPrint.
#pragma once

#include <string>
#include <string_view>

#include "report/build.h"

namespace lp::report {

std::string to_html(const document& d);
// Text for HTML element content and attribute values (& < > ").
std::string html_escape(std::string_view s);
std::string to_markdown(const document& d);
std::string to_csv(const document& d);

// Writes `out` as PDF from `html` with WeasyPrint (Debian package weasyprint; the binary may be
// overridden with LEITPLANKE_WEASYPRINT). False with `error` set on failure.
bool html_to_pdf(const std::string& html, const std::string& out, std::string& error);

}  // namespace lp::report
