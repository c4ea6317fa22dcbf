// Each class of problem the parser reports, with the exact line a user sees.

#include <gtest/gtest.h>

#include "unit/core/spec/spec_test_support.hpp"

namespace deepdock::core {
namespace {

using testing::problem_lines;
using Lines = std::vector<std::string>;

TEST(SpecValidationTest, UnknownKeysSuggestTheNearestKeyOfTheirLevel) {
  EXPECT_EQ(problem_lines("framwork: pytorch\n"),
            Lines{"deepdock.yaml:1:1: unknown key 'framwork' (did you mean 'framework'?)"});
  EXPECT_EQ(problem_lines("target:\n  gcp:\n    zone: us-west1-b\n"),
            Lines{"deepdock.yaml:3:5: unknown key 'zone' in target.gcp (did you mean 'zones'?)"});
  EXPECT_EQ(problem_lines("zones: [us-west1-b]\n"),
            Lines{"deepdock.yaml:1:1: unknown key 'zones' (did you mean 'target.gcp.zones'?)"});
  EXPECT_EQ(problem_lines("target:\n  framework: jax\n"),
            Lines{"deepdock.yaml:2:3: unknown key 'framework' in target ('framework' is a "
                  "top-level key)"});
  EXPECT_EQ(problem_lines("ports: {notebook: 1}\n"),
            Lines{"deepdock.yaml:1:9: unknown key 'notebook' in ports (known keys in ports: "
                  "jupyter, tensorboard)"});
}

TEST(SpecValidationTest, DuplicateKeysAreReported) {
  EXPECT_EQ(
      problem_lines("gpu: auto\nname: a\ngpu: none\n"),
      Lines{"deepdock.yaml:3:1: duplicate key 'gpu' (first set at line 1) (keep one of them)"});
}

TEST(SpecValidationTest, WrongTypesNameWhatWasExpected) {
  EXPECT_EQ(problem_lines("apt: git\n"),
            Lines{"deepdock.yaml:1:6: apt: expected a list of strings, got 'git' (write a list: "
                  "apt: [git])"});
  EXPECT_EQ(problem_lines("name: [a, b]\n"),
            Lines{"deepdock.yaml:1:7: name: expected a string, got a list"});
  EXPECT_EQ(problem_lines("ports: 8888\n"),
            Lines{"deepdock.yaml:1:8: ports: expected a map of keys (jupyter, tensorboard), got "
                  "'8888'"});
  EXPECT_EQ(problem_lines("tensorboard: yes\n"),
            Lines{"deepdock.yaml:1:14: tensorboard: expected true or false, got 'yes'"});
  EXPECT_EQ(problem_lines("pip: [pandas, [numpy]]\n"),
            Lines{"deepdock.yaml:1:15: pip: every item must be a string, got a list"});
  EXPECT_EQ(problem_lines("ports: {jupyter: \"8888\"}\n"),
            Lines{"deepdock.yaml:1:18: ports.jupyter: expected an integer 1-65535, got the "
                  "string '8888' (write the number without quotes)"});
  EXPECT_EQ(problem_lines("ports: {jupyter: eighty}\n"),
            Lines{"deepdock.yaml:1:18: ports.jupyter: expected an integer 1-65535, got 'eighty'"});
  EXPECT_EQ(problem_lines("- name: x\n"),
            Lines{"deepdock.yaml:1:1: the spec must be a map of keys (name: ..., framework: ...), "
                  "not a list"});
  EXPECT_EQ(problem_lines("[a]: 1\n"),
            Lines{"deepdock.yaml:1:1: a key must be a plain name, got a list"});
}

TEST(SpecValidationTest, EnumsListTheAllowedValues) {
  EXPECT_EQ(problem_lines("framework: tensorflw\n"),
            Lines{"deepdock.yaml:1:12: framework: 'tensorflw' is not one of tensorflow, pytorch, "
                  "jax, none (did you mean 'tensorflow'?)"});
  EXPECT_EQ(problem_lines("jupyter: classic\n"),
            Lines{"deepdock.yaml:1:10: jupyter: 'classic' is not one of lab, notebook, none"});
  EXPECT_EQ(problem_lines("network: nat\n"),
            Lines{"deepdock.yaml:1:10: network: 'nat' is not one of bridge, host"});
  EXPECT_EQ(problem_lines("build: cloud\n"),
            Lines{"deepdock.yaml:1:8: build: 'cloud' is not one of local, cloudbuild"});
  EXPECT_EQ(problem_lines("target: {kind: aws}\n"),
            Lines{"deepdock.yaml:1:16: target.kind: 'aws' is not one of local, ssh, gcp"});
  EXPECT_EQ(problem_lines("target: azure\n"),
            Lines{"deepdock.yaml:1:9: target: 'azure' is not one of local, ssh, gcp, or "
                  "ssh://[user@]host[:port]"});
}

TEST(SpecValidationTest, GpuIsAModeOrACount) {
  EXPECT_EQ(problem_lines("gpu: sometimes\n"),
            Lines{"deepdock.yaml:1:6: gpu: 'sometimes' is not one of auto, required, none, or a "
                  "count 1-16"});
  EXPECT_EQ(problem_lines("gpu: 0\n"),
            Lines{"deepdock.yaml:1:6: gpu: 0 is not a count 1-16 (write gpu: none to run "
                  "without a GPU)"});
  EXPECT_EQ(problem_lines("gpu: 17\n"),
            Lines{"deepdock.yaml:1:6: gpu: '17' is out of range: expected an integer 1-16"});
  EXPECT_EQ(problem_lines("gpu: \"2\"\n"),
            Lines{"deepdock.yaml:1:6: gpu: expected an integer 1-16, got the string '2' (write "
                  "the number without quotes)"});
  EXPECT_EQ(problem_lines("gpu: -1\n"),
            Lines{"deepdock.yaml:1:6: gpu: '-1' is not one of auto, required, none, or a count "
                  "1-16"});
}

TEST(SpecValidationTest, VersionsAndPythonHaveAShape) {
  EXPECT_EQ(problem_lines("version: 2\n"),
            Lines{"deepdock.yaml:1:10: version: '2' must be major.minor or major.minor.patch "
                  "(\"2.15\", \"2.15.1\"), or latest"});
  EXPECT_EQ(problem_lines("python: \"3\"\n"),
            Lines{"deepdock.yaml:1:9: python: '3' must be major.minor, e.g. \"3.11\""});
  EXPECT_EQ(problem_lines("framework: none\nversion: \"2.15\"\n"),
            Lines{"deepdock.yaml:2:1: version: a version needs a framework, and framework is none "
                  "(remove version, or set framework)"});
}

TEST(SpecValidationTest, StringShapes) {
  EXPECT_EQ(problem_lines("name: Bert\n"),
            Lines{"deepdock.yaml:1:7: name: 'Bert' must be 1-63 lowercase letters, digits, '_', "
                  "'.' or '-', starting with a letter or digit"});
  EXPECT_EQ(problem_lines("base: 'debootstrap:'\n"),
            Lines{"deepdock.yaml:1:7: base: 'debootstrap:' debootstrap needs a suite in lowercase "
                  "letters, e.g. debootstrap:bookworm"});
  EXPECT_EQ(problem_lines("apt: [git, 'curl; rm -rf /']\n"),
            Lines{"deepdock.yaml:1:12: apt: 'curl; rm -rf /' must be a Debian package name "
                  "(lowercase letters, digits, '+', '-', '.'), optionally pinned as name=version"});
  EXPECT_EQ(problem_lines("pip: ['  ']\n"),
            Lines{"deepdock.yaml:1:7: pip: '  ' must not be empty"});
  EXPECT_EQ(problem_lines("requirements: /etc/requirements.txt\n"),
            Lines{"deepdock.yaml:1:15: requirements: '/etc/requirements.txt' must be relative to "
                  "the spec's folder, not absolute"});
  EXPECT_EQ(problem_lines("mounts: ['./work:workspace', './a:/b:rx', './c:/b']\n"),
            (Lines{"deepdock.yaml:1:10: mounts: './work:workspace' must name an absolute container "
                   "path, e.g. \"./work:/workspace\"",
                   "deepdock.yaml:1:30: mounts: './a:/b:rx' has mode 'rx': the mode must be ro or "
                   "rw",
                   "deepdock.yaml:1:43: mounts: two mounts share the container path '/b'"}));
  EXPECT_EQ(problem_lines("registry: envs\n"),
            Lines{"deepdock.yaml:1:11: registry: 'envs' has no registry host ('envs' is not a host "
                  "name); must be host[:port][/path], e.g. "
                  "us-west1-docker.pkg.dev/PROJECT/REPOSITORY"});
}

TEST(SpecValidationTest, TargetRules) {
  EXPECT_EQ(problem_lines("target:\n  kind: ssh\n"),
            Lines{"deepdock.yaml:2:3: target.host is required when target.kind is ssh (add host: "
                  "ssh://[user@]host[:port] under target)"});
  EXPECT_EQ(problem_lines("target: {kind: ssh, host: whale@box}\n"),
            Lines{"deepdock.yaml:1:27: target.host: 'whale@box' must be ssh://[user@]host[:port], "
                  "e.g. ssh://whale@203.0.113.7"});
  EXPECT_EQ(
      problem_lines("target:\n  gcp:\n    zones: [us-west1, us-west1-b, us-west1-b]\n"
                    "    count: 0\n    disk_gb: 5\n    idle_stop_minutes: -1\n"),
      (Lines{"deepdock.yaml:3:13: target.gcp.zones: 'us-west1' must be a Compute Engine zone, "
             "e.g. us-west1-b",
             "deepdock.yaml:3:35: target.gcp.zones: zone 'us-west1-b' is listed twice",
             "deepdock.yaml:4:12: target.gcp.count: '0' is out of range: expected an integer "
             "1-16",
             "deepdock.yaml:5:14: target.gcp.disk_gb: '5' is out of range: expected an "
             "integer 10-65536",
             "deepdock.yaml:6:24: target.gcp.idle_stop_minutes: '-1' is out of range: "
             "expected an integer 0-525600"}));
  EXPECT_EQ(problem_lines("target: {gcp: {spot: maybe, project: My_Project}}\n"),
            (Lines{"deepdock.yaml:1:22: target.gcp.spot: expected true or false, got 'maybe'",
                   "deepdock.yaml:1:38: target.gcp.project: 'My_Project' must be a project ID: "
                   "6-30 lowercase letters, digits or '-', starting with a letter"}));
}

TEST(SpecValidationTest, CloudBuildNeedsARegistryAndAGcpTarget) {
  EXPECT_EQ(problem_lines("build: cloudbuild\n"),
            (Lines{"deepdock.yaml:1:1: build: cloudbuild needs a registry to push the image to "
                   "(add registry: REGION-docker.pkg.dev/PROJECT/REPOSITORY)",
                   "deepdock.yaml:1:1: build: cloudbuild runs only with target.kind gcp, not local "
                   "(use build: local, or target: {kind: gcp})"}));
  EXPECT_TRUE(problem_lines("build: cloudbuild\ntarget: gcp\nregistry: gcr.io/p\n").empty());
}

TEST(SpecValidationTest, PortsMustDiffer) {
  EXPECT_EQ(problem_lines("ports:\n  jupyter: 6006\n"),
            Lines{"deepdock.yaml:2:3: ports: jupyter and tensorboard both use port 6006"});
}

TEST(SpecValidationTest, EveryProblemIsReportedAtOnceInFileOrder) {
  constexpr std::string_view kBroken = R"(name: My Env
framwork: pytorch
gpu: lots
ports:
  jupyter: 70000
target:
  kind: ssh
  gcp: {count: many}
apt: [ok-package, "bad package"]
)";
  EXPECT_EQ(problem_lines(kBroken, "envs/deepdock.yaml"),
            (Lines{"envs/deepdock.yaml:1:7: name: 'My Env' must be 1-63 lowercase letters, "
                   "digits, '_', '.' or '-', starting with a letter or digit",
                   "envs/deepdock.yaml:2:1: unknown key 'framwork' (did you mean 'framework'?)",
                   "envs/deepdock.yaml:3:6: gpu: 'lots' is not one of auto, required, none, or a "
                   "count 1-16",
                   "envs/deepdock.yaml:5:12: ports.jupyter: '70000' is out of range: expected an "
                   "integer 1-65535",
                   "envs/deepdock.yaml:7:3: target.host is required when target.kind is ssh (add "
                   "host: ssh://[user@]host[:port] under target)",
                   "envs/deepdock.yaml:8:16: target.gcp.count: expected an integer 1-16, got "
                   "'many'",
                   "envs/deepdock.yaml:9:19: apt: 'bad package' must be a Debian package name "
                   "(lowercase letters, digits, '+', '-', '.'), optionally pinned as "
                   "name=version"}));
}

TEST(SpecValidationTest, YamlSyntaxErrorIsOneProblemAtItsPosition) {
  EXPECT_EQ(problem_lines("name: x\napt: [git\ngpu: auto\n"),
            Lines{"deepdock.yaml:3:4: invalid YAML: end of sequence flow not found"});
  // A tab may not indent YAML; yaml-cpp notices at the ':' after it.
  EXPECT_EQ(problem_lines("target:\n\tkind: ssh\n"),
            Lines{"deepdock.yaml:2:6: invalid YAML: illegal map value"});
  EXPECT_EQ(problem_lines("name: a\n---\nname: b\n"),
            Lines{"deepdock.yaml:2:1: a spec is one YAML document, this file holds 2 (remove the "
                  "'---' separators)"});
}

TEST(SpecValidationTest, StrayCommaIsASyntaxErrorNotAHang) {
  // yaml-cpp 0.7 loops forever on these in LoadAll (jbeder/yaml-cpp#1040).
  EXPECT_EQ(problem_lines(","),
            Lines{"deepdock.yaml:1:1: invalid YAML: unexpected ',' (a ',' separates items only "
                  "inside [ ] or { })"});
  EXPECT_EQ(problem_lines("# comment\n,name: x\n"),
            Lines{"deepdock.yaml:2:1: invalid YAML: unexpected ',' (a ',' separates items only "
                  "inside [ ] or { })"});
  EXPECT_EQ(problem_lines("- a\n,\n"),
            Lines{"deepdock.yaml:2:1: invalid YAML: unexpected ',' (a ',' separates items only "
                  "inside [ ] or { })"});
}

TEST(SpecValidationTest, ControlCharactersInValuesAreEscapedInMessages) {
  EXPECT_EQ(problem_lines("name: \"a\\nb\"\n"),
            Lines{"deepdock.yaml:1:7: name: 'a\\x0ab' must be 1-63 lowercase letters, digits, "
                  "'_', '.' or '-', starting with a letter or digit"});
}

}  // namespace
}  // namespace deepdock::core
