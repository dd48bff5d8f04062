#include <cppunit/extensions/HelperMacros.h>

#include "docker/image_pull.h"

using gsp::docker::PullProgress;

namespace {

// The shape of a real pull's stream (docker.io 20.10 from a local registry).
const char kStream[] =
    "{\"status\":\"Pulling from gsp-demo-game\",\"id\":\"0.1.0\"}\r\n"
    "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"aaa111\"}\r\n"
    "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"bbb222\"}\r\n"
    "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":32768,\"total\":1048576},"
    "\"progress\":\"[\\u003e      ]  32.77kB/1.049MB\",\"id\":\"aaa111\"}\r\n"
    "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":100,\"total\":2000},\"id\":\"bbb222\"}\r\n"
    "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":524288,\"total\":1048576},\"id\":\"aaa111\"}\r\n"
    "{\"status\":\"Verifying Checksum\",\"progressDetail\":{},\"id\":\"bbb222\"}\r\n"
    "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"bbb222\"}\r\n"
    "{\"status\":\"Extracting\",\"progressDetail\":{\"current\":2000,\"total\":2000},\"id\":\"bbb222\"}\r\n"
    "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"bbb222\"}\r\n";
const char kEnd[] =
    "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"aaa111\"}\r\n"
    "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"aaa111\"}\r\n"
    "{\"status\":\"Digest: sha256:0123\"}\r\n"
    "{\"status\":\"Status: Downloaded newer image for 127.0.0.1:5000/gsp-demo-game:0.1.0\"}\r\n";

}  // namespace

class ImagePullTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ImagePullTest);
  CPPUNIT_TEST(sumsLayerBytesFedInAnyPieces);
  CPPUNIT_TEST(anErrorLineFailsThePull);
  CPPUNIT_TEST(garbageAndOverlongLinesAreErrors);
  CPPUNIT_TEST(referencesSplitIntoNameAndTag);
  CPPUNIT_TEST_SUITE_END();

 public:
  void sumsLayerBytesFedInAnyPieces() {
    for (size_t piece : {size_t(1), size_t(7), sizeof kStream}) {
      PullProgress p;
      std::string stream = kStream;
      for (size_t at = 0; at < stream.size(); at += piece)
        CPPUNIT_ASSERT(p.feed(stream.data() + at, std::min(piece, stream.size() - at)));
      CPPUNIT_ASSERT_EQUAL(2, p.layers());
      CPPUNIT_ASSERT_EQUAL(int64_t(1048576 + 2000), p.total());
      CPPUNIT_ASSERT_EQUAL(int64_t(524288 + 2000), p.downloaded());
      CPPUNIT_ASSERT(p.feed(kEnd, sizeof kEnd - 1));
      CPPUNIT_ASSERT_EQUAL(p.total(), p.downloaded());
      CPPUNIT_ASSERT(p.error().empty());
    }
  }

  void anErrorLineFailsThePull() {
    PullProgress p;
    std::string stream = std::string(kStream) +
                         "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\r\n";
    CPPUNIT_ASSERT(!p.feed(stream.data(), stream.size()));
    CPPUNIT_ASSERT_EQUAL(std::string("manifest unknown"), p.error());
    CPPUNIT_ASSERT(!p.feed("{}\n", 3));  // stays failed
  }

  void garbageAndOverlongLinesAreErrors() {
    PullProgress garbage;
    CPPUNIT_ASSERT(!garbage.feed("not json\n", 9));
    PullProgress endless;
    std::string line(70000, 'x');
    CPPUNIT_ASSERT(!endless.feed(line.data(), line.size()));
    PullProgress odd;  // well-formed but strange values are ignored, not trusted
    const char weird[] = "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":-5,\"total\":\"big\"},\"id\":\"x\"}\n";
    CPPUNIT_ASSERT(odd.feed(weird, sizeof weird - 1));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), odd.downloaded());
  }

  void referencesSplitIntoNameAndTag() {
    struct { const char* in; const char* name; const char* tag; } table[] = {
        {"gsp-demo-game:0.1.0", "gsp-demo-game", "0.1.0"},
        {"127.0.0.1:5000/gsp-demo-game:0.1.0", "127.0.0.1:5000/gsp-demo-game", "0.1.0"},
        {"127.0.0.1:5000/gsp-demo-game", "127.0.0.1:5000/gsp-demo-game", "latest"},
        {"itzg/minecraft-server", "itzg/minecraft-server", "latest"},
        {"busybox@sha256:abcd", "busybox@sha256:abcd", ""},
    };
    for (const auto& row : table) {
      std::string name, tag;
      gsp::docker::splitImageReference(row.in, &name, &tag);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(row.in, std::string(row.name), name);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(row.in, std::string(row.tag), tag);
    }
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ImagePullTest);
