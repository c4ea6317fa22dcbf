#pragma once
// Shared pieces of the CurlTransport integration tests.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/http/curl_transport.hpp"
#include "core/ports/http_transport.hpp"

namespace deepdock::testing {

// Byte i of a deterministic upload payload, so the server can check every byte.
inline char payload_byte(uint64_t index) {
  return static_cast<char>((index * 31 + 7) % 251);
}

inline std::string payload(uint64_t size) {
  std::string data(size, '\0');
  for (uint64_t i = 0; i < size; ++i) {
    data[i] = payload_byte(i);
  }
  return data;
}

// A body source that hands out the payload in pieces of at most `piece` bytes.
inline core::BodySource payload_source(uint64_t size, size_t piece) {
  auto offset = std::make_shared<uint64_t>(0);
  return [size, piece, offset](char* buffer, size_t capacity) -> Result<size_t> {
    const uint64_t left = size - *offset;
    const size_t n = static_cast<size_t>(std::min<uint64_t>({left, capacity, piece}));
    for (size_t i = 0; i < n; ++i) {
      buffer[i] = payload_byte(*offset + i);
    }
    *offset += n;
    return n;
  };
}

inline core::HttpRequest make_request(core::HttpMethod method, std::string target,
                                      std::string body = {}) {
  core::HttpRequest request;
  request.method = method;
  request.target = std::move(target);
  request.body = std::move(body);
  request.timeout = std::chrono::seconds(5);
  return request;
}

// Fast retries, so a test of three attempts takes milliseconds.
inline adapters::http::TransportConfig fast_config() {
  adapters::http::TransportConfig config;
  config.connect_timeout = std::chrono::seconds(2);
  config.retry_base_delay = std::chrono::milliseconds(5);
  config.retry_max_delay = std::chrono::milliseconds(20);
  return config;
}

inline bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

inline long long ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace deepdock::testing
