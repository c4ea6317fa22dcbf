#include "cli/output/error_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace deepdock::cli {
namespace {

TEST(ErrorReportTest, TextHasMessageAndHint) {
  const Error e{ErrorCode::kPrecondition, "cannot reach the Docker engine at unix:///x.sock",
                "start dockerd"};
  EXPECT_EQ(format_error(e),
            "error: cannot reach the Docker engine at unix:///x.sock\n  hint: start dockerd\n");
}

TEST(ErrorReportTest, JsonCarriesCodeAndExitCode) {
  const Error e{ErrorCode::kIncompatible, "cuda 12.4 needs driver 550", ""};
  const auto body = nlohmann::json::parse(format_error_json(e));
  EXPECT_EQ(body["error"]["code"], "incompatible");
  EXPECT_EQ(body["error"]["exit_code"], 3);
  EXPECT_FALSE(body["error"].contains("hint"));
}

TEST(ErrorReportTest, NeverPrintsSecrets) {
  const Error e{ErrorCode::kFailure, R"(registry said {"password":"hunter22"})", ""};
  EXPECT_EQ(format_error(e).find("hunter22"), std::string::npos);
  EXPECT_EQ(format_error_json(e).find("hunter22"), std::string::npos);
}

}  // namespace
}  // namespace deepdock::cli
