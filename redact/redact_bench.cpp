// Detector + masking throughput on German office text with personal data (bytes/s).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "redact/apply.h"
#include "redact/detector.h"

namespace {
std::string office_text(std::size_t bytes) {
  static const std::string para =
      "Sehr geehrte Frau Öztürk, bezüglich Ihres Antrags auf Wohngeld vom 12.03.2026 (Az. 50-123/26) "
      "bitten wir um Überweisung der Gebühr auf das Konto DE89 3704 0044 0532 0130 00. Rückfragen "
      "richten Sie bitte an sachbearbeitung.wohngeld@kreis-beispiel.de oder telefonisch. Die Prüfung "
      "der Unterlagen ergab, dass die Einkommensnachweise für die Monate Januar bis März fehlen. Wir "
      "bitten Sie, diese bis zum Ende des Monats nachzureichen; andernfalls kann über den Antrag "
      "nicht entschieden werden. Mit freundlichen Grüßen, Ihr Sozialamt.\n";
  std::string out;
  while (out.size() < bytes) out += para;
  out.resize(bytes);
  return out;
}

void BM_ScanAndMask(benchmark::State& state) {
  static const auto det = lp::redact::detector::create();
  const std::string text = office_text(static_cast<std::size_t>(state.range(0)));
  lp::redact::operator_table ops;
  ops.fill(lp::redact::operator_kind::mask);
  std::vector<lp::redact::entity> found;
  for (auto _ : state) {
    found.clear();
    det->scan(text, found);
    lp::redact::pseudonym_map pseudonyms;
    auto out = lp::redact::apply(text, found, ops, pseudonyms);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_ScanAndMask)->Arg(64)->Arg(1 << 10)->Arg(64 << 10)->Arg(1 << 20);
}  // namespace

namespace {
// Pseudonymising a request and restoring the placeholders in an answer of the same size, whole
// and as a stream of 16-byte pieces (bytes/s of text).
void BM_PseudonymizeAndRestore(benchmark::State& state) {
  static const auto det = lp::redact::detector::create();
  const std::string text = office_text(static_cast<std::size_t>(state.range(0)));
  lp::redact::operator_table ops;
  ops.fill(lp::redact::operator_kind::pseudonymize);
  std::vector<lp::redact::entity> found;
  const bool streamed = state.range(1) != 0;
  for (auto _ : state) {
    found.clear();
    det->scan(text, found);
    lp::redact::pseudonym_map pseudonyms;
    const std::string sent = lp::redact::apply(text, found, ops, pseudonyms);
    std::string back;
    if (streamed) {
      lp::redact::stream_restorer sr(pseudonyms);
      for (std::size_t i = 0; i < sent.size(); i += 16) back += sr.feed(std::string_view(sent).substr(i, 16));
      back += sr.flush();
    } else {
      back = pseudonyms.restore(sent);
    }
    benchmark::DoNotOptimize(back);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_PseudonymizeAndRestore)->Args({4 << 10, 0})->Args({4 << 10, 1})->Args({64 << 10, 0})->Args({64 << 10, 1});
}  // namespace

namespace {
// The texts of the labelled corpus (tests/pii/corpus.jsonl): 910 German administrative texts of
// 100 bytes to a few KiB with their mix of personal data, each scanned as one request would be.
const std::vector<std::string>& corpus_texts() {
  static const std::vector<std::string> texts = [] {
    std::ifstream in(LEITPLANKE_SOURCE_DIR "/tests/pii/corpus.jsonl");
    if (!in) throw std::runtime_error("tests/pii/corpus.jsonl not found");
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.emplace_back(boost::json::parse(line).at("text").as_string());
    }
    return out;
  }();
  return texts;
}

void BM_ScanCorpus(benchmark::State& state) {
  static const auto det = lp::redact::detector::create();
  const auto& texts = corpus_texts();
  std::size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  lp::redact::operator_table ops;
  ops.fill(lp::redact::operator_kind::mask);
  std::vector<lp::redact::entity> found;
  for (auto _ : state) {
    for (const auto& t : texts) {
      found.clear();
      det->scan(t, found);
      lp::redact::pseudonym_map pseudonyms;
      auto out = lp::redact::apply(t, found, ops, pseudonyms);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["texts"] = static_cast<double>(texts.size());
}
BENCHMARK(BM_ScanCorpus);
}  // namespace
