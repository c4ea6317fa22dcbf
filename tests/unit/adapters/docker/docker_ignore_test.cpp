#include "adapters/docker/docker_ignore.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace deepdock::adapters::docker {
namespace {

struct Case {
  std::string ignore_file;
  std::string path;
  bool excluded;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << "patterns {" << c.ignore_file << "} path " << c.path;
}

class DockerIgnoreTableTest : public ::testing::TestWithParam<Case> {};

TEST_P(DockerIgnoreTableTest, MatchesLikeDocker) {
  const Case& c = GetParam();
  EXPECT_EQ(DockerIgnore::parse(c.ignore_file).excluded(c.path), c.excluded);
}

// The examples of Docker's documentation, and the edge cases of moby/patternmatcher.
INSTANTIATE_TEST_SUITE_P(
    Docs, DockerIgnoreTableTest,
    ::testing::Values(
        // "*/temp*": one level down only
        Case{"*/temp*", "somedir/temporary.txt", true}, Case{"*/temp*", "somedir/temp", true},
        Case{"*/temp*", "somedir/temp/file", true},  // the parent matches
        Case{"*/temp*", "temp.txt", false}, Case{"*/temp*", "a/b/temp.txt", false},
        // "*/*/temp*": two levels down
        Case{"*/*/temp*", "somedir/subdir/temporary.txt", true},
        Case{"*/*/temp*", "somedir/temporary.txt", false},
        // "temp?": one character, never '/'
        Case{"temp?", "tempa", true}, Case{"temp?", "temp", false}, Case{"temp?", "tempab", false},
        Case{"temp?", "temp/", false},
        // "**" crosses directories, including none
        Case{"**/*.go", "main.go", true}, Case{"**/*.go", "a/b/c.go", true},
        Case{"**/*.go", "main.gox", false}, Case{"a/**/z", "a/z", true},
        Case{"a/**/z", "a/b/c/z", true}, Case{"a/**", "a/b/c", true}, Case{"**", "any/thing", true},
        Case{"**foo", "barfoo", true},
        // '*' stops at '/': patterns are anchored at the context root
        Case{"*.md", "README.md", true}, Case{"*.md", "docs/README.md", false},
        // exceptions: the last matching rule wins
        Case{"*.md\n!README.md", "README.md", false}, Case{"*.md\n!README.md", "CHANGES.md", true},
        Case{"*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true},
        Case{"*.md\n!README*.md\nREADME-secret.md", "README-public.md", false},
        Case{"!README*.md\n*.md", "README-public.md", true},
        // leading and trailing slashes do not matter; paths are cleaned
        Case{"build/", "build", true}, Case{"build/", "build/out/x.o", true},
        Case{"build/", "builder", false}, Case{"/leading", "leading", true},
        Case{"./a/../b", "b", true}, Case{"b//c", "b/c", true},
        // a parent directory's exclusion covers its files unless an exception matches them
        Case{"docs\n!docs/keep.md", "docs/other.md", true},
        Case{"docs\n!docs/keep.md", "docs/keep.md", false}, Case{"**\n!keep/**", "keep/x", false},
        Case{"**\n!keep/**", "drop/x", true},
        // comments, blank lines, whitespace
        Case{"# comment\n\n  secret.txt  \n", "secret.txt", true},
        Case{"# secret.txt", "secret.txt", false}, Case{" #x", "#x", true},
        Case{"a\r\nb\r\n", "b", true},
        // character classes and escapes
        Case{"[a-c].txt", "b.txt", true}, Case{"[a-c].txt", "d.txt", false},
        Case{"[^a].txt", "b.txt", true}, Case{"[^a].txt", "a.txt", false},
        Case{"\\*.txt", "*.txt", true}, Case{"\\*.txt", "a.txt", false},
        Case{"file(1).txt", "file(1).txt", true}, Case{"a+b", "a+b", true},
        Case{"a+b", "aab", false}, Case{"data.csv", "dataXcsv", false}));

TEST(DockerIgnoreTest, EmptyFileExcludesNothing) {
  const DockerIgnore ignore = DockerIgnore::parse("");
  EXPECT_TRUE(ignore.empty());
  EXPECT_FALSE(ignore.excluded("anything"));
}

TEST(DockerIgnoreTest, RootItselfIsNeverExcluded) {
  EXPECT_FALSE(DockerIgnore::parse("**").excluded("."));
}

TEST(DockerIgnoreTest, ExceptionsBelowADirectoryReopenItForTheWalk) {
  const DockerIgnore ignore = DockerIgnore::parse("docs\n!docs/api/keep.md\nvendor");
  EXPECT_TRUE(ignore.may_reinclude_below("docs"));
  EXPECT_TRUE(ignore.may_reinclude_below("docs/api"));
  EXPECT_FALSE(ignore.may_reinclude_below("vendor"));
  EXPECT_FALSE(ignore.may_reinclude_below("doc"));
  EXPECT_FALSE(DockerIgnore::parse("docs").may_reinclude_below("docs"));
}

TEST(DockerIgnoreTest, WildcardExceptionsDoNotReopenDirectoriesAsInDocker) {
  EXPECT_FALSE(DockerIgnore::parse("vendor\n!**/keep").may_reinclude_below("vendor"));
}

TEST(DockerIgnoreTest, AddedExceptionKeepsAnIgnoredDockerfile) {
  DockerIgnore ignore = DockerIgnore::parse("Dockerfile\nci/\n");
  ignore.add_exception("Dockerfile");
  ignore.add_exception("./ci/Dockerfile.gpu");
  EXPECT_FALSE(ignore.excluded("Dockerfile"));
  EXPECT_FALSE(ignore.excluded("ci/Dockerfile.gpu"));
  EXPECT_TRUE(ignore.excluded("ci/other"));
  EXPECT_TRUE(ignore.may_reinclude_below("ci"));
}

TEST(DockerIgnoreTest, MalformedPatternsAreReportedAndMatchNothing) {
  const DockerIgnore ignore = DockerIgnore::parse("[abc\n!\nok\ntrailing\\\n[]a]");
  EXPECT_EQ(ignore.invalid_patterns(),
            (std::vector<std::string>{"[abc", "!", "trailing\\", "[]a]"}));
  EXPECT_TRUE(ignore.excluded("ok"));
  EXPECT_FALSE(ignore.excluded("[abc"));
}

TEST(CleanPathTest, BehavesLikeGoFilepathClean) {
  EXPECT_EQ(clean_path(""), ".");
  EXPECT_EQ(clean_path("a//b/./c/.."), "a/b");
  EXPECT_EQ(clean_path("/../a"), "/a");
  EXPECT_EQ(clean_path("../../a"), "../../a");
  EXPECT_EQ(clean_path("a/"), "a");
  EXPECT_EQ(clean_path("/"), "/");
  EXPECT_EQ(clean_path("./"), ".");
}

}  // namespace
}  // namespace deepdock::adapters::docker
