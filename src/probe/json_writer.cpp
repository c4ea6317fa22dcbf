#include "probe/json_writer.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace deepdock::probe {
namespace {

// The length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  unsigned min_code = 0;
  unsigned code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    min_code = 0x80;
    code = lead & 0x1FU;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    min_code = 0x800;
    code = lead & 0x0FU;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    min_code = 0x10000;
    code = lead & 0x07U;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0U) != 0x80U) {
      return 0;
    }
    code = (code << 6U) | (next & 0x3FU);
  }
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  return code >= min_code && code <= 0x10FFFF && !surrogate ? length : 0;
}

}  // namespace

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) {
      out_ += ',';
    }
    has_items_.back() = true;
  }
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  has_items_.push_back(false);
}

void JsonWriter::end_object() {
  out_ += '}';
  has_items_.pop_back();
}

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  has_items_.push_back(false);
}

void JsonWriter::end_array() {
  out_ += ']';
  has_items_.pop_back();
}

void JsonWriter::key(std::string_view name) {
  before_value();
  escape(name);
  out_ += ':';
  after_key_ = true;
}

void JsonWriter::escape(std::string_view text) {
  out_ += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += c;
    } else if (c == '\n') {
      out_ += "\\n";
    } else if (c == '\t') {
      out_ += "\\t";
    } else if (c == '\r') {
      out_ += "\\r";
    } else if (byte < 0x20 || byte == 0x7F) {
      std::array<char, 8> code{};
      std::snprintf(code.data(), code.size(), "\\u%04x", static_cast<unsigned>(byte));
      out_ += code.data();
    } else if (byte < 0x80) {
      out_ += c;
    } else if (const size_t length = utf8_sequence_length(text, i); length > 0) {
      out_.append(text.substr(i, length));
      i += length - 1;
    } else {
      out_ += "\\ufffd";
    }
  }
  out_ += '"';
}

void JsonWriter::string(std::string_view text) {
  before_value();
  escape(text);
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonWriter::integer(int64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::unsigned_integer(uint64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::number(double value) {
  before_value();
  if (!std::isfinite(value)) {
    out_ += "null";
    return;
  }
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.6g", value);
  out_ += text.data();
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::field(std::string_view name, std::string_view text) {
  key(name);
  string(text);
}

void JsonWriter::field(std::string_view name, bool value) {
  key(name);
  boolean(value);
}

void JsonWriter::field(std::string_view name, int value) {
  key(name);
  integer(value);
}

void JsonWriter::field(std::string_view name, unsigned value) {
  key(name);
  unsigned_integer(value);
}

void JsonWriter::field(std::string_view name, uint64_t value) {
  key(name);
  unsigned_integer(value);
}

void JsonWriter::field(std::string_view name, double value) {
  key(name);
  number(value);
}

void JsonWriter::field(std::string_view name, const std::vector<std::string>& texts) {
  key(name);
  begin_array();
  for (const std::string& text : texts) {
    string(text);
  }
  end_array();
}

}  // namespace deepdock::probe
