#include "probe/axpy_kernel.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>

#include "support/run_binary.hpp"

namespace deepdock::probe {
namespace {

const std::string kPtx(kAxpyPtx);

TEST(AxpyKernelTest, DeclaresTheEntryWithItsFourParametersInOrder) {
  const size_t entry = kPtx.find(".visible .entry " + std::string(kAxpyEntry) + "(");
  ASSERT_NE(entry, std::string::npos);
  size_t at = entry;
  for (const char* param : {".param .u64 deepdock_axpy_y", ".param .u64 deepdock_axpy_x",
                            ".param .f32 deepdock_axpy_a", ".param .u32 deepdock_axpy_n"}) {
    const size_t found = kPtx.find(param, at);
    ASSERT_NE(found, std::string::npos) << param;
    at = found;
  }
}

TEST(AxpyKernelTest, TargetsPtx60ForSm50With64BitAddressesBeforeTheEntry) {
  const size_t entry = kPtx.find(".entry");
  for (const char* directive : {"\n.version 6.0\n", "\n.target sm_50\n", "\n.address_size 64\n"}) {
    const size_t found = kPtx.find(directive);
    ASSERT_NE(found, std::string::npos) << directive;
    EXPECT_LT(found, entry) << directive;
  }
}

TEST(AxpyKernelTest, BracesAndParenthesesBalance) {
  int braces = 0;
  int parentheses = 0;
  for (const char c : kPtx) {
    braces += c == '{' ? 1 : c == '}' ? -1 : 0;
    parentheses += c == '(' ? 1 : c == ')' ? -1 : 0;
    ASSERT_GE(braces, 0);
    ASSERT_GE(parentheses, 0);
  }
  EXPECT_EQ(braces, 0);
  EXPECT_EQ(parentheses, 0);
}

TEST(AxpyKernelTest, EveryRegisterUsedIsDeclared) {
  std::map<std::string, int> declared;  // "%rd" -> how many (%rd<8> declares %rd0..%rd7)
  const std::regex declaration(R"(\.reg\s+\.\w+\s+(%[a-z]+)<(\d+)>;)");
  for (auto it = std::sregex_iterator(kPtx.begin(), kPtx.end(), declaration);
       it != std::sregex_iterator(); ++it) {
    declared[(*it)[1]] = std::stoi((*it)[2]);
  }
  EXPECT_EQ(declared.size(), 4U);  // predicates, 32-bit, float and 64-bit registers

  const std::regex use(R"((%[a-z]+)(\d+)\b)");
  int uses = 0;
  for (auto it = std::sregex_iterator(kPtx.begin(), kPtx.end(), use); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[1];
    const int index = std::stoi((*it)[2]);
    ASSERT_TRUE(declared.count(name) != 0) << name << index << " is not declared";
    EXPECT_LT(index, declared[name]) << name << index << " is beyond its declaration";
    ++uses;
  }
  EXPECT_GT(uses, 20);
}

TEST(AxpyKernelTest, ComputesWithAFusedMultiplyAddAndStoresToGlobalMemory) {
  EXPECT_NE(kPtx.find("cvta.to.global.u64"), std::string::npos);
  EXPECT_NE(kPtx.find("mul.wide.u32"), std::string::npos);
  EXPECT_NE(kPtx.find("fma.rn.f32"), std::string::npos);
  EXPECT_NE(kPtx.find("st.global.f32"), std::string::npos);
  EXPECT_NE(kPtx.find("setp.ge.u32"), std::string::npos);
  EXPECT_NE(kPtx.find("ret;"), std::string::npos);
}

TEST(AxpyKernelTest, TextEndsWithTheLiteralsNulSoTheDriverCanReadIt) {
  EXPECT_EQ(kAxpyPtx.data()[kAxpyPtx.size()], '\0');
  EXPECT_EQ(kAxpyEntry.data()[kAxpyEntry.size()], '\0');
}

std::string find_ptxas() {
  for (const char* candidate : {"/usr/local/cuda/bin/ptxas", "/usr/bin/ptxas"}) {
    if (access(candidate, X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

// The real assembler, where a CUDA toolkit is installed. Toolkits drop old architectures
// (CUDA 13 assembles sm_75 and newer), so each one the toolkit does not know is skipped.
TEST(AxpyKernelTest, PtxasAcceptsTheKernel) {
  const std::string ptxas = find_ptxas();
  if (ptxas.empty()) {
    GTEST_SKIP() << "no ptxas here (a CUDA toolkit is not installed)";
  }
  const std::string file =
      ::testing::TempDir() + "/deepdock-axpy-" + std::to_string(getpid()) + ".ptx";
  std::ofstream(file) << kAxpyPtx;
  int assembled = 0;
  for (const char* arch : {"sm_50", "sm_75", "sm_90"}) {
    const testing::BinaryRun run =
        testing::run_program({ptxas, "--gpu-name", arch, file, "-o", "/dev/null"});
    if (run.stderr_text.find("is not defined for option") != std::string::npos) {
      continue;
    }
    EXPECT_EQ(run.exit_code, 0) << arch << ": " << run.stderr_text;
    ++assembled;
  }
  std::remove(file.c_str());
  EXPECT_GT(assembled, 0) << "ptxas knew none of the architectures tried";
}

}  // namespace
}  // namespace deepdock::probe
