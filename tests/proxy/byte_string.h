// bytes({0xff, 0x00, ...}): a packet written byte by byte, for the codec tests.
#pragma once

#include <initializer_list>
#include <string>

inline std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}
