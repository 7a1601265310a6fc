# Generates a C++ source that embeds the dashboard's static files (admin/ui/*.html|js|css), so
# that the gateway serves them without reading the disk and nothing is fetched at run time.
file(GLOB files "${DIR}/*.html" "${DIR}/*.js" "${DIR}/*.css")
list(SORT files)
set(out "// Generated from admin/ui/ by admin/embed_ui.cmake. Do not edit.\n#include <string>\n#include <utility>\n#include <vector>\n\nnamespace lp::admin {\nconst std::vector<std::pair<std::string, std::string>>& ui_files() {\n  static const std::vector<std::pair<std::string, std::string>> all = {\n")
foreach(f IN LISTS files)
  get_filename_component(name "${f}" NAME)
  file(READ "${f}" content HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${content}")
  string(APPEND out "    {\"${name}\", std::string(\"${escaped}\", sizeof(\"${escaped}\") - 1)},\n")
endforeach()
string(APPEND out "  };\n  return all;\n}\n}  // namespace lp::admin\n")
file(WRITE "${OUT}.tmp" "${out}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
