#include "core/bootstrap/registry_step.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/bootstrap/step_commands.hpp"

namespace deepdock::core {
namespace {

namespace detail = bootstrap_detail;

constexpr std::array<std::string_view, 5> kGcrHosts = {"gcr.io", "us.gcr.io", "eu.gcr.io",
                                                       "asia.gcr.io", "marketplace.gcr.io"};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool has_login_user(const BootstrapHost& host) {
  return !host.user.empty() && host.user != "root";
}

// Google's VM images carry the CLI (Ubuntu's as a snap, mounted while snapd seeds it at
// first boot: wait for that rather than install a second copy); other hosts get it from
// Google's apt repository. curl and gnupg fetch its key: a CPU-only plan has no
// base-packages step.
BootstrapStep gcloud_cli() {
  std::vector<HostCommand> apply{detail::apt_update(),
                                 detail::apt_install({"ca-certificates", "curl", "gnupg"})};
  for (HostCommand& added : detail::add_apt_repository(
           {.key_url = "https://packages.cloud.google.com/apt/doc/apt-key.gpg",
          .downloaded_key = "/tmp/cloud.google.gpgkey",
          .keyring = "/usr/share/keyrings/cloud.google.gpg",
          .list_file = "/etc/apt/sources.list.d/google-cloud-sdk.list",
          .source = "https://packages.cloud.google.com/apt cloud-sdk main"})) {
    apply.push_back(std::move(added));
  }
  apply.push_back(detail::apt_install({"google-cloud-cli"}));
  return {.id = "gcloud-cli",
          .title = "install the Google Cloud CLI (gcloud and docker-credential-gcloud)",
          .why =
              "docker-credential-gcloud comes with it; Google's VM images have it already "
              "(Ubuntu's as a snap, waited for at first boot), other hosts get it from "
              "Google's apt repository",
          .checks = {detail::check({"sh", "-c",
                                    "if command -v snap >/dev/null 2>&1; then snap wait system "
                                    "seed.loaded; fi; command -v docker-credential-gcloud"})},
          .apply = std::move(apply)};
}

// gcloud writes `"credHelpers": {"<host>": "gcloud"}` into ~/.docker/config.json. Root's
// HOME is set explicitly: an older sudo keeps the login user's.
BootstrapStep registry_credentials(const BootstrapHost& host, const std::string& hostname) {
  const std::string entry = fmt::format("\"{}\": \"gcloud\"", hostname);
  std::vector<BootstrapCheck> checks{detail::check({"cat", "/root/.docker/config.json"}, entry)};
  std::vector<HostCommand> apply{detail::command(
      {"env", "HOME=/root", "gcloud", "auth", "configure-docker", hostname, "--quiet"})};
  std::string users = "root";
  if (has_login_user(host)) {
    checks.push_back(detail::check(
        {"sudo", "-u", host.user, "-H", "sh", "-c", "cat \"$HOME/.docker/config.json\""}, entry));
    apply.push_back(detail::command({"sudo", "-u", host.user, "-H", "gcloud", "auth",
                                     "configure-docker", hostname, "--quiet"}));
    users += " and " + host.user;
  }
  return {
      .id = "registry-credentials",
      .title = fmt::format("configure the gcloud credential helper for {} ({})", hostname, users),
      .why =
          "the host itself (its startup script, `docker pull` by hand) can then pull from "
          "the private registry, with the token of the VM's service account on Google "
          "Cloud; deepdock's own pulls send the credentials of the machine it runs on "
          "through the Engine API",
      .checks = std::move(checks),
      .apply = std::move(apply)};
}

}  // namespace

std::string registry_host(std::string_view registry) {
  return std::string(registry.substr(0, registry.find('/')));
}

bool is_google_registry_host(std::string_view host) {
  return ends_with(host, ".pkg.dev") ||
         std::find(kGcrHosts.begin(), kGcrHosts.end(), host) != kGcrHosts.end();
}

std::vector<BootstrapStep> registry_credential_steps(const BootstrapHost& host,
                                                     const std::string& registry) {
  const std::string registry_hostname = registry_host(registry);
  // Any other registry (a loopback or company one, `host[:port]`) gets no step: deepdock
  // pulls through the Engine API with the credentials of the machine it runs on, and which
  // helper (if any) serves an arbitrary registry is not deepdock's to choose.
  if (!is_google_registry_host(registry_hostname)) {
    return {};
  }
  return {gcloud_cli(), registry_credentials(host, registry_hostname)};
}

}  // namespace deepdock::core
