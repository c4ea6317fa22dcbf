// The Cloud Storage JSON API routes (api-reference C.1) a Cloud Build client uses: buckets
// get and insert, the simple upload (uploadType=media), and an object's metadata or its
// bytes (alt=media; a Range header is served by cpp-httplib as 206, or 416 past the end).

#include "google_errors.hpp"
#include "routes.hpp"

namespace deepdock::gcpemu {
namespace {

using httplib::Request;
using httplib::Response;
using Json = nlohmann::json;

void send_forbidden(Response& res, const std::string& bucket) {
  send_error(res, 403, "forbidden",
             "caller does not have storage.buckets.get access to the Google Cloud Storage "
             "bucket. Permission 'storage.buckets.get' denied on resource (or it may not "
             "exist). (bucket " +
                 bucket + ")");
}

void send_no_bucket(Response& res, const std::string& bucket) {
  send_error(res, 404, "notFound", "The specified bucket does not exist. (" + bucket + ")");
}

}  // namespace

void add_storage_routes(httplib::Server& server, const Scenario& scenario, StorageState& storage) {
  server.Get(R"(/storage/v1/b/([^/]+))", [&storage](const Request& req, Response& res) {
    const std::string bucket = req.matches[1];
    if (storage.is_foreign(bucket)) {
      send_forbidden(res, bucket);
    } else if (const auto found = storage.bucket(bucket)) {
      send_json(res, *found);
    } else {
      send_no_bucket(res, bucket);
    }
  });

  server.Post("/storage/v1/b", [&scenario, &storage](const Request& req, Response& res) {
    if (req.get_param_value("project") != scenario.project) {
      send_error(res, 403, "forbidden",
                 "The project '" + req.get_param_value("project") +
                     "' does not exist or the caller may not create buckets in it.");
      return;
    }
    const Json body = Json::parse(req.body, nullptr, false);
    const std::string name = body.is_object() ? body.value("name", "") : "";
    if (name.empty()) {
      send_error(res, 400, "required", "Required: the bucket's name.");
      return;
    }
    if (!storage.create_bucket(name, body.value("location", "US"))) {
      send_error(res, 409, "conflict",
                 storage.is_foreign(name)
                     ? "The requested bucket name is not available. The bucket namespace is "
                       "shared by all users of the system. Please select a different name and "
                       "try again."
                     : "Your previous request to create the named bucket succeeded and you "
                       "already own it.");
      return;
    }
    send_json(res, *storage.bucket(name));
  });

  server.Post(R"(/upload/storage/v1/b/([^/]+)/o)", [&storage](const Request& req, Response& res) {
    const std::string bucket = req.matches[1];
    if (req.get_param_value("uploadType") != "media") {
      send_error(res, 400, "invalid",
                 "The emulator takes only uploadType=media, not '" +
                     req.get_param_value("uploadType") + "'");
      return;
    }
    const std::string name = req.get_param_value("name");
    if (name.empty()) {
      send_error(res, 400, "required", "Required: the object's name.");
      return;
    }
    if (storage.is_foreign(bucket)) {
      send_forbidden(res, bucket);
      return;
    }
    const std::string type = req.get_header_value("Content-Type");
    if (const auto stored =
            storage.put(bucket, name, req.body, type.empty() ? "application/octet-stream" : type)) {
      send_json(res, *stored);
    } else {
      send_no_bucket(res, bucket);
    }
  });

  server.Get(R"(/storage/v1/b/([^/]+)/o/(.+))", [&storage](const Request& req, Response& res) {
    const std::string bucket = req.matches[1];
    const std::string name = req.matches[2];
    if (storage.is_foreign(bucket)) {
      send_forbidden(res, bucket);
      return;
    }
    const auto object = storage.get(bucket, name);
    if (!object) {
      send_error(res, 404, "notFound", "No such object: " + bucket + "/" + name);
      return;
    }
    if (req.get_param_value("alt") == "media") {
      // The status is left to cpp-httplib: 200, or 206 with the Range applied.
      res.set_content(object->data, object->content_type);
      res.set_header("x-goog-generation", std::to_string(object->generation));
      return;
    }
    send_json(res, storage.object_json(bucket, name, *object));
  });
}

}  // namespace deepdock::gcpemu
