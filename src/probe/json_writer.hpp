#pragma once
// A streaming JSON writer for the probe's report. The probe cannot use nlohmann-json: its
// serializer holds its output in a std::shared_ptr, whose reference counting reads a glibc
// 2.32 variable, and the probe must load on glibc 2.27. Writing is all the probe needs
// (deepdock parses the report with nlohmann-json), so this is a writer and nothing more:
// strings are escaped, invalid UTF-8 becomes U+FFFD, and non-finite numbers become null.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace deepdock::probe {

class JsonWriter {
 public:
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The next value's key, inside an object.
  void key(std::string_view name);

  void string(std::string_view text);
  void boolean(bool value);
  void integer(int64_t value);
  void unsigned_integer(uint64_t value);
  void number(double value);  // up to 6 significant digits; NaN and infinities as null
  void null();

  // key + value in one call.
  void field(std::string_view name, std::string_view text);
  void field(std::string_view name, const char* text) { field(name, std::string_view(text)); }
  void field(std::string_view name, bool value);
  void field(std::string_view name, int value);
  void field(std::string_view name, unsigned value);
  void field(std::string_view name, uint64_t value);
  void field(std::string_view name, double value);
  void field(std::string_view name, const std::vector<std::string>& texts);

  [[nodiscard]] const std::string& text() const { return out_; }

 private:
  void before_value();
  void escape(std::string_view text);

  std::string out_;
  std::vector<bool> has_items_;  // per open container: whether a value was written
  bool after_key_ = false;
};

}  // namespace deepdock::probe
