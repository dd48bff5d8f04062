// The one CppUnit runner of each test program: runs every registered suite
// (or those named on the command line), prints failures, and ends with the
// summary line "N passed, N failed" that the test command adds up.
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestListener.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <cstdio>
#include <iostream>

namespace {

class CountingListener : public CppUnit::TestListener {
 public:
  void startTest(CppUnit::Test*) override { failed_now_ = false; }
  void addFailure(const CppUnit::TestFailure&) override { failed_now_ = true; }
  void endTest(CppUnit::Test*) override { (failed_now_ ? failed : passed)++; }
  int passed = 0;
  int failed = 0;

 private:
  bool failed_now_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  CppUnit::TestResult controller;
  CppUnit::TestResultCollector collector;
  CountingListener counter;
  CppUnit::BriefTestProgressListener progress;
  controller.addListener(&collector);
  controller.addListener(&counter);
  controller.addListener(&progress);

  CppUnit::TestRunner runner;
  runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
  try {
    if (argc > 1) {
      for (int i = 1; i < argc; ++i) runner.run(controller, argv[i]);
    } else {
      runner.run(controller);
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "no such test: " << e.what() << "\n";
    return 2;
  }
  CppUnit::CompilerOutputter(&collector, std::cerr).write();
  printf("%d passed, %d failed\n", counter.passed, counter.failed);
  return counter.failed == 0 && counter.passed > 0 ? 0 : 1;
}
