// The one text rule (common/text.h): code points, invalid UTF-8 refused, short excerpts.
#include "common/text.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace revisit {
namespace {

TEST(CodePointsTest, CountsCharactersNotBytes) {
  EXPECT_EQ(CodePoints(""), 0u);
  EXPECT_EQ(CodePoints("abc"), 3u);
  EXPECT_EQ(CodePoints("龙井茶"), 3u);           // 9 bytes
  EXPECT_EQ(CodePoints("\xF0\x9F\x8D\xB5"), 1u);  // U+1F375, 4 bytes
}

TEST(CodePointsTest, RefusesInvalidUtf8) {
  EXPECT_EQ(CodePoints("\xff"), std::nullopt);              // never valid
  EXPECT_EQ(CodePoints("\x80"), std::nullopt);              // stray continuation
  EXPECT_EQ(CodePoints("\xE9\xBE"), std::nullopt);          // truncated 3-byte sequence
  EXPECT_EQ(CodePoints("\xC0\xAF"), std::nullopt);          // overlong '/'
  EXPECT_EQ(CodePoints("\xED\xA0\x80"), std::nullopt);      // surrogate U+D800
  EXPECT_EQ(CodePoints("\xF4\x90\x80\x80"), std::nullopt);  // above U+10FFFF
}

TEST(ValidateTextTest, LengthInCodePointsNamingTheField) {
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "张";
  EXPECT_TRUE(ValidateText("name", hundred, 1, 100).ok());
  absl::Status st = ValidateText("name", hundred + "张", 1, 100);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "name: must be 1..100 characters, got 101");
  st = ValidateText("name", "", 1, 100);
  EXPECT_EQ(st.message(), "name: required; must be 1..100 characters, got 0");
  EXPECT_TRUE(ValidateText("note", "", 0, 10).ok());
}

TEST(ValidateTextTest, InvalidUtf8IsInvalidArgumentNamingTheField) {
  absl::Status st = ValidateText("lines[0].name", "\xff\xfe", 0, 100);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "lines[0].name: must be valid UTF-8");
}

TEST(ExcerptTest, ShortValuesAreQuotedWhole) {
  EXPECT_EQ(Excerpt("abc"), "\"abc\"");
  EXPECT_EQ(Excerpt("龙井"), "\"龙井\"");
}

TEST(ExcerptTest, LongValuesAreCutOnACharacterBoundary) {
  std::string s;
  for (int i = 0; i < 10000; ++i) s += "茶";
  const std::string e = Excerpt(s);
  EXPECT_LT(e.size(), 150u);
  EXPECT_TRUE(absl::StrContains(e, "(30000 bytes)")) << e;
  EXPECT_EQ(CodePoints(e).has_value(), true);
}

TEST(ExcerptTest, ControlAndInvalidBytesAreEscaped) {
  EXPECT_EQ(Excerpt("a\nb\xff"), "\"a\\x0ab\\xff\"");
}

}  // namespace
}  // namespace revisit
