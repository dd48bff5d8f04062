// SignalWatcher: hands chosen signals to a callback on the loop thread through
// a signalfd. The signals are blocked for the process first (threads started
// later inherit that), so there is no asynchronous handler to race with.
// Loop thread only.
#pragma once

#include <functional>
#include <initializer_list>

#include "event_loop.h"

namespace gsp::proxy {

class SignalWatcher : public IoHandler {
 public:
  SignalWatcher(EventLoop& loop, std::initializer_list<int> signals, std::function<void(int)> on_signal);
  void onIo(uint32_t events) override;

 private:
  UniqueFd fd_;
  std::function<void(int)> on_signal_;
};

}  // namespace gsp::proxy
