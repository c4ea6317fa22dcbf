#pragma once
// The Compute Engine v1 routes (api-reference A.1), below /compute/v1/projects/{project}.

#include <httplib.h>

#include <string>

#include "cloudbuild_state.hpp"
#include "compute_state.hpp"
#include "scenario.hpp"
#include "storage_state.hpp"

namespace deepdock::gcpemu {

// The resources that do not change: the project, zones, regions (with quota usage),
// accelerator types, machine types and image families.
void add_compute_routes(httplib::Server& server, const Scenario& scenario, ComputeState& state);

// Instances and zone operations.
void add_instance_routes(httplib::Server& server, const Scenario& scenario, ComputeState& state);

// Cloud Storage (api-reference C.1): buckets get and insert, the simple upload, objects.
void add_storage_routes(httplib::Server& server, const Scenario& scenario, StorageState& storage);

// Cloud Build (api-reference C.2): builds create, get and cancel.
void add_cloudbuild_routes(httplib::Server& server, const Scenario& scenario,
                           CloudBuildState& builds);

// "http://HOST/compute/v1/", from the request, so links point back at the emulator.
std::string base_url(const httplib::Request& req);

// Answers 404 (and returns false) unless the first match names the scenario's project.
bool known_project(const httplib::Request& req, httplib::Response& res, const Scenario& scenario);

void send_reply(httplib::Response& res, const Reply& reply);

}  // namespace deepdock::gcpemu
