#pragma once
// How the emulator's list methods read their query (api-reference A.0): `filter` (clauses
// such as labels.env = "x", name = "nvidia-l4" or status != "RUNNING", AND-ed; eq and ne
// take a regular expression that must match the whole value), `maxResults` and
// `pageToken`. Pages are cut from the filtered list in order, so a client must follow
// nextPageToken to see everything; the scenario's page_size caps a page, as Google may.
// Header-only: the emulator's target lists its sources elsewhere.

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "google_errors.hpp"

namespace deepdock::gcpemu {

struct FilterClause {
  std::string field;  // a dotted path into the resource: labels.env, name, status
  std::string op;     // =, !=, eq, ne
  std::string value;
};

// The clauses of `text`, or nullopt when it is not a filter this emulator understands.
inline std::optional<std::vector<FilterClause>> parse_filter(const std::string& text) {
  std::vector<std::string> tokens;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == '(' || c == ')') {
      ++i;
    } else if (c == '"') {
      std::string literal;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        literal += text[i] == '\\' && i + 1 < text.size() ? text[++i] : text[i];
      }
      if (i >= text.size()) {
        return std::nullopt;
      }
      ++i;
      tokens.push_back("\"" + literal);  // marked as a literal
    } else if (c == '=' || c == '!') {
      const bool negated = c == '!';
      if (negated && (i + 1 >= text.size() || text[i + 1] != '=')) {
        return std::nullopt;
      }
      tokens.emplace_back(negated ? "!=" : "=");
      i += negated ? 2 : 1;
    } else {
      size_t end = i;
      while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) == 0 &&
             std::string("()=!\"").find(text[end]) == std::string::npos) {
        ++end;
      }
      tokens.push_back(text.substr(i, end - i));
      i = end;
    }
  }
  std::vector<FilterClause> clauses;
  for (size_t i = 0; i < tokens.size();) {
    if (tokens[i] == "AND") {
      ++i;
      continue;
    }
    if (i + 2 >= tokens.size()) {  // a clause is field, operator, value
      return std::nullopt;
    }
    FilterClause clause{tokens[i], tokens[i + 1], tokens[i + 2]};
    const bool known_op =
        clause.op == "=" || clause.op == "!=" || clause.op == "eq" || clause.op == "ne";
    if (!known_op || clause.field.front() == '"' || clause.field == "OR") {
      return std::nullopt;
    }
    if (clause.value.front() == '"') {
      clause.value.erase(0, 1);
    }
    clauses.push_back(std::move(clause));
    i += 3;
  }
  return clauses;
}

// The resource's value at a dotted path, as text; nullopt when absent.
inline std::optional<std::string> field_text(const nlohmann::json& resource,
                                             const std::string& path) {
  const nlohmann::json* node = &resource;
  size_t from = 0;
  while (from <= path.size()) {
    const size_t dot = std::min(path.find('.', from), path.size());
    const std::string key = path.substr(from, dot - from);
    if (!node->is_object() || !node->contains(key)) {
      return std::nullopt;
    }
    node = &(*node)[key];
    from = dot + 1;
  }
  return node->is_string() ? node->get<std::string>() : node->dump();
}

inline bool matches(const std::vector<FilterClause>& clauses, const nlohmann::json& resource) {
  return std::all_of(clauses.begin(), clauses.end(), [&](const FilterClause& clause) {
    const std::optional<std::string> value = field_text(resource, clause.field);
    bool equal = false;
    if (value) {
      equal = clause.op == "=" || clause.op == "!="
                  ? *value == clause.value
                  : std::regex_match(*value, std::regex(clause.value));
    }
    return clause.op == "=" || clause.op == "eq" ? equal : !equal;
  });
}

struct ListQuery {
  std::vector<FilterClause> filter;
  size_t offset = 0;       // from pageToken
  size_t max_results = 0;  // items on a page
};

// Reads filter, maxResults and pageToken (a page is at most `page_size` long when that is
// above 0); false after answering 400 when one of them is invalid.
inline bool read_list_query(const httplib::Request& req, httplib::Response& res, int64_t page_size,
                            ListQuery& query) {
  if (req.has_param("filter")) {
    auto clauses = parse_filter(req.get_param_value("filter"));
    if (!clauses) {
      send_error(res, 400, "invalid",
                 "Invalid list filter expression '" + req.get_param_value("filter") + "'.");
      return false;
    }
    query.filter = std::move(*clauses);
  }
  try {
    const int64_t asked =
        req.has_param("maxResults") ? std::stoll(req.get_param_value("maxResults")) : 500;
    if (asked < 0 || asked > 500) {
      throw std::out_of_range("maxResults");
    }
    query.max_results = static_cast<size_t>(asked == 0 ? 500 : asked);
  } catch (const std::exception&) {
    send_error(res, 400, "invalid",
               "Invalid value for field 'maxResults': '" + req.get_param_value("maxResults") +
                   "'. Must be between 0 and 500.");
    return false;
  }
  if (page_size > 0) {
    query.max_results = std::min(query.max_results, static_cast<size_t>(page_size));
  }
  const std::string token = req.get_param_value("pageToken");
  const std::string prefix = "emulator-page-";
  if (!token.empty()) {
    try {
      if (token.rfind(prefix, 0) != 0) {
        throw std::invalid_argument("pageToken");
      }
      query.offset = std::stoull(token.substr(prefix.size()));
    } catch (const std::exception&) {
      send_error(res, 400, "invalid", "Invalid value for field 'pageToken': '" + token + "'.");
      return false;
    }
  }
  return true;
}

// The part of `count` items on the page, and the next page's token (empty: the last page).
inline std::pair<std::pair<size_t, size_t>, std::string> page_bounds(const ListQuery& query,
                                                                     size_t count) {
  const size_t begin = std::min(query.offset, count);
  const size_t end = std::min(begin + query.max_results, count);
  return {{begin, end}, end < count ? "emulator-page-" + std::to_string(end) : ""};
}

// An aggregated list's page: the filtered (scope, resource) `entries` in order, cut to the
// page; every scope in `scopes` is present, with its resources under `kind` or with the
// NO_RESULTS_ON_PAGE warning Google gives a scope that has none on this page.
inline nlohmann::json aggregated_page(
    const std::vector<std::string>& scopes,
    const std::vector<std::pair<std::string, nlohmann::json>>& entries, const std::string& kind,
    const ListQuery& query, nlohmann::json list) {
  std::vector<std::pair<std::string, nlohmann::json>> kept;
  for (const auto& entry : entries) {
    if (matches(query.filter, entry.second)) {
      kept.push_back(entry);
    }
  }
  const auto [bounds, next] = page_bounds(query, kept.size());
  nlohmann::json items = nlohmann::json::object();
  for (const std::string& scope : scopes) {
    nlohmann::json on_page = nlohmann::json::array();
    for (size_t i = bounds.first; i < bounds.second; ++i) {
      if (kept[i].first == scope) {
        on_page.push_back(kept[i].second);
      }
    }
    items[scope] = on_page.empty()
                       ? nlohmann::json{{"warning",
                                         {{"code", "NO_RESULTS_ON_PAGE"},
                                          {"message", "There are no results for scope '" + scope +
                                                          "' on this page."},
                                          {"data", {{{"key", "scope"}, {"value", scope}}}}}}}
                       : nlohmann::json{{kind, on_page}};
  }
  list["items"] = items;
  if (!next.empty()) {
    list["nextPageToken"] = next;
  }
  return list;
}

// A plain list's page of the filtered `resources`; no `items` when the page has none.
inline nlohmann::json list_page(const std::vector<nlohmann::json>& resources,
                                const ListQuery& query, nlohmann::json list) {
  std::vector<nlohmann::json> kept;
  std::copy_if(resources.begin(), resources.end(), std::back_inserter(kept),
               [&](const nlohmann::json& resource) { return matches(query.filter, resource); });
  const auto [bounds, next] = page_bounds(query, kept.size());
  if (bounds.second > bounds.first) {
    list["items"] = std::vector<nlohmann::json>(kept.begin() + static_cast<long>(bounds.first),
                                                kept.begin() + static_cast<long>(bounds.second));
  }
  if (!next.empty()) {
    list["nextPageToken"] = next;
  }
  return list;
}

}  // namespace deepdock::gcpemu
