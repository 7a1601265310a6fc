#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("lp_cfg_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}
}  // namespace

TEST(Config, LoadsUpstreamsModelsAndResolvesSecrets) {
  ::setenv("LP_TEST_UPSTREAM_KEY", "sk-test", 1);
  ::setenv("LEITPLANKE_PSEUDONYM_KEY", "0123456789abcdef0123", 1);
  ::unsetenv("LEITPLANKE_DATABASE_URL");
  ::unsetenv("LEITPLANKE_LISTEN");
  auto path = write_temp("ok.yaml", R"(listen: 127.0.0.1:9000
database_url: postgresql:///lp
policy: policy.yaml
language: en
upstreams:
  openai:
    base_url: https://api.example.org/v1/
    api_key_env: LP_TEST_UPSTREAM_KEY
  local:
    base_url: http://[::1]:8000
models:
  gpt-4o-mini: openai
  llama: {upstream: local, upstream_model: llama-3.1-8b}
)");
  std::vector<lp::yaml::diagnostic> diags;
  auto cfg = lp::config::load(path, lp::config::need::serve, diags);
  for (auto& d : diags) ADD_FAILURE() << d.format();
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->listen_port, 9000);
  EXPECT_EQ(cfg->lang, lp::language::en);
  ASSERT_EQ(cfg->upstreams.size(), 2u);
  EXPECT_TRUE(cfg->upstreams[0].tls);
  EXPECT_EQ(cfg->upstreams[0].port, "443");
  EXPECT_EQ(cfg->upstreams[0].base_path, "/v1");
  EXPECT_EQ(cfg->upstreams[0].api_key, "sk-test");
  EXPECT_EQ(cfg->upstreams[1].host, "::1");
  EXPECT_EQ(cfg->find_model("llama")->upstream_model, "llama-3.1-8b");
  EXPECT_EQ(cfg->find_model("llama")->upstream_index, 1u);
  EXPECT_EQ(cfg->policy_file, (std::filesystem::path(path).parent_path() / "policy.yaml").string());
}

TEST(Config, EnvironmentOverridesFile) {
  ::setenv("LEITPLANKE_PSEUDONYM_KEY", "0123456789abcdef0123", 1);
  ::setenv("LEITPLANKE_DATABASE_URL", "postgresql://other/db", 1);
  ::setenv("LEITPLANKE_LISTEN", "0.0.0.0:7000", 1);
  auto path = write_temp("env.yaml", "database_url: x\npolicy: p.yaml\nupstreams: {u: {base_url: 'http://h'}}\nmodels: {m: u}\n");
  std::vector<lp::yaml::diagnostic> diags;
  auto cfg = lp::config::load(path, lp::config::need::serve, diags);
  ::unsetenv("LEITPLANKE_DATABASE_URL");
  ::unsetenv("LEITPLANKE_LISTEN");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->database_url, "postgresql://other/db");
  EXPECT_EQ(cfg->listen_host, "0.0.0.0");
  EXPECT_EQ(cfg->listen_port, 7000);
}

TEST(Config, ReportsErrorsWithPositions) {
  ::unsetenv("LP_TEST_MISSING");
  auto path = write_temp("bad.yaml", R"(database_url: x
policy: p.yaml
listen: nowhere
upstreams:
  u:
    base_url: ftp://h
    api_key: sk-in-yaml
    api_key_env: LP_TEST_MISSING
models:
  m: nope
)");
  std::vector<lp::yaml::diagnostic> diags;
  EXPECT_FALSE(lp::config::load(path, lp::config::need::serve, diags));
  std::string all;
  for (auto& d : diags) all += d.format() + "\n";
  EXPECT_NE(all.find("bad.yaml:3:9: listen must be host:port"), std::string::npos) << all;
  EXPECT_NE(all.find("bad.yaml:6:15: base_url must be"), std::string::npos) << all;
  EXPECT_NE(all.find("API keys never go into the configuration"), std::string::npos) << all;
  EXPECT_NE(all.find("LP_TEST_MISSING"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown upstream 'nope'"), std::string::npos) << all;
}

TEST(Config, ParsesListenAddresses) {
  std::string h;
  std::uint16_t p;
  EXPECT_TRUE(lp::config::parse_listen("[::1]:80", h, p));
  EXPECT_EQ(h, "::1");
  EXPECT_FALSE(lp::config::parse_listen("host", h, p));
  EXPECT_FALSE(lp::config::parse_listen("h:99999", h, p));
}

TEST(Config, AuditTrailKeysAreCheckedWithPositions) {
  ::setenv("LEITPLANKE_PSEUDONYM_KEY", "0123456789abcdef0123", 1);
  ::unsetenv("LEITPLANKE_AUDIT_SPOOL_DIR");
  ::unsetenv("LEITPLANKE_AUDIT_SIGNING_KEY_FILE");
  auto path = write_temp("audit-bad.yaml", R"(database_url: x
policy: p.yaml
pseudonym_rotation: weekly
audit:
  fail_closed: maybe
  checkpoint_interval_ms: 0
  spool: /tmp/x
models: {}
)");
  std::vector<lp::yaml::diagnostic> diags;
  EXPECT_FALSE(lp::config::load(path, lp::config::need::database, diags));
  std::string all;
  for (auto& d : diags) all += d.format() + "\n";
  EXPECT_NE(all.find("audit-bad.yaml:3:21: pseudonym_rotation must be quarter, month or none"), std::string::npos) << all;
  EXPECT_NE(all.find("audit-bad.yaml:5:16:"), std::string::npos) << all;
  EXPECT_NE(all.find("audit-bad.yaml:6:27:"), std::string::npos) << all;
  EXPECT_NE(all.find("spool"), std::string::npos) << all;  // unknown key, named

  // relative paths are resolved beside the file; the environment overrides them
  auto ok = write_temp("audit-ok.yaml", "database_url: x\naudit: {spool_dir: spool, signing_key_file: keys/audit.key}\n");
  diags.clear();
  auto cfg = lp::config::load(ok, lp::config::need::database, diags);
  ASSERT_TRUE(cfg);
  const auto dir = std::filesystem::path(ok).parent_path();
  EXPECT_EQ(cfg->aud.spool_dir, (dir / "spool").string());
  EXPECT_EQ(cfg->aud.signing_key_file, (dir / "keys/audit.key").string());
  EXPECT_TRUE(cfg->aud.fail_closed);
  ::setenv("LEITPLANKE_AUDIT_SPOOL_DIR", "/var/lib/leitplanke/spool", 1);
  cfg = lp::config::load(ok, lp::config::need::database, diags);
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->aud.spool_dir, "/var/lib/leitplanke/spool");
  ::unsetenv("LEITPLANKE_AUDIT_SPOOL_DIR");
}
