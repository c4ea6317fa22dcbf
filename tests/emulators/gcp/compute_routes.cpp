#include "catalog.hpp"
#include "compute_list.hpp"
#include "google_errors.hpp"
#include "routes.hpp"

namespace deepdock::gcpemu {
namespace {

using httplib::Request;
using httplib::Response;
using Json = nlohmann::json;

constexpr const char* kProject = "/compute/v1/projects/([^/]+)";

std::string url(const Request& req, const Scenario& s, const std::string& rest) {
  return base_url(req) + "projects/" + s.project + rest;
}

Json zone_json(const Request& req, const Scenario& s, const ZoneSpec& zone) {
  return {{"kind", "compute#zone"},
          {"id", std::to_string(2000 + std::hash<std::string>{}(zone.name) % 1000)},
          {"name", zone.name},
          {"description", zone.name},
          {"status", zone.status},
          {"region", url(req, s, "/regions/" + region_of(zone.name))},
          {"selfLink", url(req, s, "/zones/" + zone.name)},
          {"availableCpuPlatforms", {"Intel Broadwell", "Intel Skylake", "AMD Milan"}},
          {"supportsPzs", false}};
}

Json region_json(const Request& req, const Scenario& s, const std::string& region,
                 ComputeState& state, bool with_quotas) {
  Json zones = Json::array();
  for (const ZoneSpec& zone : s.zones) {
    if (region_of(zone.name) == region) {
      zones.push_back(url(req, s, "/zones/" + zone.name));
    }
  }
  Json out = {{"kind", "compute#region"},
              {"id", std::to_string(1000 + std::hash<std::string>{}(region) % 1000)},
              {"name", region},
              {"description", region},
              {"status", "UP"},
              {"zones", zones},
              {"selfLink", url(req, s, "/regions/" + region)}};
  if (with_quotas) {
    out["quotas"] = state.region_quotas(region);
  }
  return out;
}

Json accelerator_json(const Request& req, const Scenario& s, const std::string& zone,
                      const std::string& name) {
  const AcceleratorInfo info = accelerator_info(name);
  return {{"kind", "compute#acceleratorType"},
          {"id", std::to_string(10000 + std::hash<std::string>{}(name) % 1000)},
          {"name", name},
          {"description", info.description},
          {"maximumCardsPerInstance", info.max_per_instance},
          {"zone", url(req, s, "/zones/" + zone)},
          {"selfLink", url(req, s, "/zones/" + zone + "/acceleratorTypes/" + name)}};
}

Json machine_type_json(const Request& req, const Scenario& s, const std::string& zone,
                       const MachineTypeInfo& type) {
  Json out = {{"kind", "compute#machineType"},
              {"id", std::to_string(3000 + std::hash<std::string>{}(type.name) % 1000)},
              {"name", type.name},
              {"description", std::to_string(type.guest_cpus) + " vCPUs, " +
                                  std::to_string(type.memory_mb / 1024) + " GB RAM"},
              {"guestCpus", type.guest_cpus},
              {"memoryMb", type.memory_mb},
              {"maximumPersistentDisks", 128},
              {"maximumPersistentDisksSizeGb", "263168"},
              {"isSharedCpu", false},
              {"zone", zone},
              {"selfLink", url(req, s, "/zones/" + zone + "/machineTypes/" + type.name)}};
  if (type.accelerator_count > 0) {
    out["accelerators"] = {{{"guestAcceleratorType", type.accelerator},
                            {"guestAcceleratorCount", type.accelerator_count}}};
  }
  return out;
}

Json list_json(const std::string& kind, const std::string& self, Json items) {
  return {{"kind", kind}, {"id", self}, {"items", std::move(items)}, {"selfLink", self}};
}

// The zone of the second match, or a 404 answered.
const ZoneSpec* zone_or_404(const Request& req, Response& res, const Scenario& s) {
  const ZoneSpec* zone = s.find_zone(req.matches[2]);
  if (zone == nullptr) {
    send_not_found(res, "projects/" + s.project + "/zones/" + req.matches[2].str());
  }
  return zone;
}

// A GET route below /zones/{zone}: the project checked and the zone found (else 404) first.
template <typename Answer>
void zone_get(httplib::Server& server, const Scenario& s, const std::string& below, Answer answer) {
  server.Get(std::string(kProject) + "/zones/([^/]+)" + below,
             [&s, answer](const Request& req, Response& res) {
               if (!known_project(req, res, s))
                 return;
               if (const ZoneSpec* zone = zone_or_404(req, res, s))
                 answer(req, res, *zone);
             });
}

bool offers(const ZoneSpec& zone, const std::string& accelerator) {
  return std::find(zone.accelerators.begin(), zone.accelerators.end(), accelerator) !=
         zone.accelerators.end();
}

void add_zone_routes(httplib::Server& server, const Scenario& s) {
  server.Get(std::string(kProject) + "/zones", [&](const Request& req, Response& res) {
    ListQuery query;
    if (!known_project(req, res, s) || !read_list_query(req, res, s.page_size, query))
      return;
    std::vector<Json> zones;
    for (const ZoneSpec& zone : s.zones)
      zones.push_back(zone_json(req, s, zone));
    const std::string self = url(req, s, "/zones");
    send_json(res, list_page(zones, query,
                             {{"kind", "compute#zoneList"}, {"id", self}, {"selfLink", self}}));
  });
  zone_get(server, s, "", [&](const Request& req, Response& res, const ZoneSpec& zone) {
    send_json(res, zone_json(req, s, zone));
  });
  zone_get(
      server, s, "/acceleratorTypes", [&](const Request& req, Response& res, const ZoneSpec& zone) {
        Json items = Json::array();
        for (const auto& name : zone.accelerators) {
          items.push_back(accelerator_json(req, s, zone.name, name));
        }
        send_json(res, list_json("compute#acceleratorTypeList",
                                 url(req, s, "/zones/" + zone.name + "/acceleratorTypes"), items));
      });
  zone_get(server, s, "/acceleratorTypes/([^/]+)",
           [&](const Request& req, Response& res, const ZoneSpec& zone) {
             if (!offers(zone, req.matches[3])) {
               send_not_found(res, "projects/" + s.project + "/zones/" + zone.name +
                                       "/acceleratorTypes/" + req.matches[3].str());
               return;
             }
             send_json(res, accelerator_json(req, s, zone.name, req.matches[3]));
           });
  zone_get(server, s, "/machineTypes",
           [&](const Request& req, Response& res, const ZoneSpec& zone) {
             Json items = Json::array();
             for (const auto& type : machine_types()) {
               items.push_back(machine_type_json(req, s, zone.name, type));
             }
             send_json(res, list_json("compute#machineTypeList",
                                      url(req, s, "/zones/" + zone.name + "/machineTypes"), items));
           });
  zone_get(server, s, "/machineTypes/([^/]+)",
           [&](const Request& req, Response& res, const ZoneSpec& zone) {
             const auto type = find_machine_type(req.matches[3]);
             if (!type) {
               send_not_found(res, "projects/" + s.project + "/zones/" + zone.name +
                                       "/machineTypes/" + req.matches[3].str());
               return;
             }
             send_json(res, machine_type_json(req, s, zone.name, *type));
           });
  server.Get(std::string(kProject) + "/aggregated/acceleratorTypes",
             [&](const Request& req, Response& res) {
               ListQuery query;
               if (!known_project(req, res, s) || !read_list_query(req, res, s.page_size, query))
                 return;
               std::vector<std::string> scopes;
               std::vector<std::pair<std::string, Json>> entries;
               for (const ZoneSpec& zone : s.zones) {
                 scopes.push_back("zones/" + zone.name);
                 for (const auto& name : zone.accelerators) {
                   entries.emplace_back(scopes.back(), accelerator_json(req, s, zone.name, name));
                 }
               }
               const std::string self = url(req, s, "/aggregated/acceleratorTypes");
               send_json(res, aggregated_page(scopes, entries, "acceleratorTypes", query,
                                              {{"kind", "compute#acceleratorTypeAggregatedList"},
                                               {"id", self},
                                               {"selfLink", self}}));
             });
}

void add_project_routes(httplib::Server& server, const Scenario& s, ComputeState& state) {
  const std::string project = kProject;
  server.Get(project, [&](const Request& req, Response& res) {
    if (!known_project(req, res, s))
      return;
    send_json(res, {{"kind", "compute#project"},
                    {"id", s.project_number},
                    {"name", s.project},
                    {"commonInstanceMetadata", {{"kind", "compute#metadata"}}},
                    {"quotas", state.project_quotas()},
                    {"defaultServiceAccount",
                     s.project_number + "-compute@developer.gserviceaccount.com"},
                    {"defaultNetworkTier", "PREMIUM"},
                    {"xpnProjectStatus", "UNSPECIFIED_XPN_PROJECT_STATUS"},
                    {"selfLink", url(req, s, "")}});
  });
  server.Get(project + "/regions", [&](const Request& req, Response& res) {
    if (!known_project(req, res, s))
      return;
    Json items = Json::array();
    for (const auto& region : s.regions())
      items.push_back(region_json(req, s, region, state, true));
    send_json(res, list_json("compute#regionList", url(req, s, "/regions"), items));
  });
  server.Get(project + "/regions/([^/]+)", [&](const Request& req, Response& res) {
    if (!known_project(req, res, s))
      return;
    const auto regions = s.regions();
    if (std::find(regions.begin(), regions.end(), req.matches[2]) == regions.end()) {
      send_not_found(res, "projects/" + s.project + "/regions/" + req.matches[2].str());
      return;
    }
    send_json(res, region_json(req, s, req.matches[2], state, true));
  });
}

// Image families: getFromFamily and the zonal family view gcloud names in its inserts.
void add_image_routes(httplib::Server& server, const Scenario& s) {
  const auto family_image = [&](const Request& req, Response& res, const std::string& image_project,
                                const std::string& family) {
    const auto found = s.images.find(image_project);
    if (found == s.images.end() ||
        std::find(found->second.begin(), found->second.end(), family) == found->second.end()) {
      send_not_found(res, "projects/" + image_project + "/global/images/family/" + family);
      return Json();
    }
    const std::string name = family + "-v20240101";
    return Json{
        {"kind", "compute#image"},
        {"id", std::to_string(5000 + std::hash<std::string>{}(name) % 1000)},
        {"name", name},
        {"family", family},
        {"status", "READY"},
        {"diskSizeGb", "10"},
        {"architecture", "X86_64"},
        {"selfLink", base_url(req) + "projects/" + image_project + "/global/images/" + name}};
  };
  server.Get("/compute/v1/projects/([^/]+)/global/images/family/([^/]+)",
             [=](const Request& req, Response& res) {
               const Json image = family_image(req, res, req.matches[1], req.matches[2]);
               if (!image.is_null())
                 send_json(res, image);
             });
  server.Get("/compute/v1/projects/([^/]+)/zones/([^/]+)/imageFamilyViews/([^/]+)",
             [=](const Request& req, Response& res) {
               const Json image = family_image(req, res, req.matches[1], req.matches[3]);
               if (!image.is_null())
                 send_json(res, {{"image", image}});
             });
}

}  // namespace

void add_compute_routes(httplib::Server& server, const Scenario& scenario, ComputeState& state) {
  add_project_routes(server, scenario, state);
  add_zone_routes(server, scenario);
  add_image_routes(server, scenario);
}

}  // namespace deepdock::gcpemu
