#include "cli/cloud_builder.hpp"

#include <fmt/format.h>

#include "adapters/gcp/cloud_build_client.hpp"
#include "app/cloud_build_image.hpp"

namespace deepdock::cli {
namespace {

// Cloud Build's progress as lines of `up`'s step.
class BuildLines final : public app::CloudBuildObserver {
 public:
  explicit BuildLines(app::UpObserver& up) : up_(up) {}
  void uploaded(const core::CloudStorageObject& source) override {
    up_.line(fmt::format("context uploaded to gs://{}/{}", source.bucket, source.name));
  }
  void build_created(const core::CloudBuildInfo& build) override {
    up_.line(fmt::format("Cloud Build {} created{}", build.id,
                         build.log_url.empty() ? "" : ": " + build.log_url));
  }
  void status_changed(core::CloudBuildStatus status) override {
    up_.line(fmt::format("Cloud Build: {}", core::to_string(status)));
  }
  void log_line(std::string_view line) override { up_.line(line); }

 private:
  app::UpObserver& up_;
};

}  // namespace

Result<CloudBuildFunction> cloud_builder(GcpSession& session) {
  TRY_ASSIGN(
      std::shared_ptr<adapters::gcp::CloudBuildClient> client,
      adapters::gcp::connect_cloud_build(session.context, *session.credentials,
                                         {.quota_project = session.credentials->quota_project()}));
  return CloudBuildFunction([client, project = session.project](
                                const core::BuildRequest& context, const std::string& image,
                                app::UpObserver& observer) -> Result<std::string> {
    BuildLines lines(observer);
    TRY_ASSIGN(const app::CloudBuildImageResult built,
               app::cloud_build_image({.project = project, .image = image, .context = context},
                                      *client, lines));
    return built.digest;
  });
}

}  // namespace deepdock::cli
