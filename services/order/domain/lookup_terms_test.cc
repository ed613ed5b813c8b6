// O2 finding customers: the normalization of lookup terms and the index changes of a
// customer write (services/order/domain/lookup_terms.h).
#include "services/order/domain/lookup_terms.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace revisit::order {
namespace {

std::string Phone(absl::string_view p) {
  auto n = NormalizePhone("phone", p);
  return n.ok() ? *n : "error: " + std::string(n.status().message());
}

TEST(LookupTermsTest, PhoneSpellingsOfOneNumberAreOneTerm) {
  for (const char* p : {"13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000",
                        "+86-138-0013-8000", "0086 13800138000", "8613800138000", " (138) 0013.8000 "}) {
    EXPECT_EQ(Phone(p), "8613800138000") << p;
  }
}

TEST(LookupTermsTest, PhoneLandlineDropsTheTrunkZero) {
  EXPECT_EQ(Phone("0571-8888 8888"), "8657188888888");
  EXPECT_EQ(Phone("+86 571 8888 8888"), "8657188888888");
}

TEST(LookupTermsTest, PhoneKeepsAForeignCountryCode) {
  EXPECT_EQ(Phone("+1 (415) 555-0100"), "14155550100");
  EXPECT_EQ(Phone("0044 20 7946 0958"), "442079460958");
}

TEST(LookupTermsTest, PhoneRefusalsNameTheFieldAndTheRule) {
  EXPECT_EQ(Phone("138x0013"),
            "error: phone: must be digits with an optional leading '+' and separators \" -().\"");
  EXPECT_EQ(Phone("++8613800138000"),
            "error: phone: must be digits with an optional leading '+' and separators \" -().\"");
  EXPECT_EQ(Phone("123"), "error: phone: must be a phone number of 8..15 digits with its country code");
  EXPECT_EQ(Phone(""), "error: phone: must be a phone number of 8..15 digits with its country code");
  EXPECT_EQ(Phone("+0123456789"), "error: phone: must be a phone number of 8..15 digits with its country code");
  EXPECT_EQ(Phone("+1234567890123456"),
            "error: phone: must be a phone number of 8..15 digits with its country code");
  EXPECT_EQ(NormalizePhone("customer.phones[1]", "a").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(NormalizePhone("customer.phones[1]", "a").status().message(),
                               "customer.phones[1]: "));
}

TEST(LookupTermsTest, EmailIsTrimmedAndLowerCase) {
  EXPECT_EQ(*NormalizeEmail("email", "  Li.Wei@Example.COM \n"), "li.wei@example.com");
  for (const char* bad : {"", "no-at", "@example.com", "li@", "a@b@c", " @ "}) {
    auto n = NormalizeEmail("email", bad);
    ASSERT_FALSE(n.ok()) << bad;
    EXPECT_EQ(n.status().message(), "email: must be an e-mail address with one '@' and text on both sides");
  }
  EXPECT_FALSE(NormalizeEmail("email", std::string(250, 'a') + "@b.cn").ok());
}

TEST(LookupTermsTest, TrackingNumberIgnoresSpacesDashesAndCase) {
  EXPECT_EQ(*NormalizeTracking("tracking_number", " sf 1234-5678 "), "SF12345678");
  EXPECT_EQ(NormalizeTracking("tracking_number", " - ").status().message(),
            "tracking_number: must be 1..64 characters besides spaces and '-'");
  EXPECT_TRUE(NormalizeTracking("tracking_number", std::string(64, 'A')).ok());
  EXPECT_FALSE(NormalizeTracking("tracking_number", std::string(65, 'A')).ok());
}

TEST(LookupTermsTest, CustomerTermsSkipWhatDoesNotNormalize) {
  v1::Customer c;
  c.add_phones("138 0013 8000");
  c.add_phones("+86 13800138000");  // the same number twice: one term
  c.add_phones("ext 12");           // free text the archive accepts: not indexed
  c.add_emails("Li@Example.com");
  auto terms = CustomerTerms(c);
  std::set<LookupTerm> want = {{LookupKind::kPhone, "8613800138000"},
                               {LookupKind::kEmail, "li@example.com"}};
  EXPECT_EQ(terms, want);
}

TEST(LookupTermsTest, DiffRemovesTheOldPhoneAndAddsTheNew) {
  std::set<LookupTerm> before = {{LookupKind::kPhone, "8613800138000"},
                                 {LookupKind::kEmail, "li@example.com"}};
  std::set<LookupTerm> after = {{LookupKind::kPhone, "8613900139000"},
                                {LookupKind::kEmail, "li@example.com"}};
  TermChanges d = DiffTerms(before, after);
  EXPECT_EQ(d.add, (std::set<LookupTerm>{{LookupKind::kPhone, "8613900139000"}}));
  EXPECT_EQ(d.remove, (std::set<LookupTerm>{{LookupKind::kPhone, "8613800138000"}}));
  TermChanges same = DiffTerms(before, before);
  EXPECT_TRUE(same.add.empty());
  EXPECT_TRUE(same.remove.empty());
  TermChanges created = DiffTerms({}, after);
  EXPECT_EQ(created.add, after);
}

TEST(LookupTermsTest, RequestTermTakesExactlyOneKey) {
  v1::FindCustomersRequest req;
  EXPECT_EQ(RequestTerm(req).status().message(),
            "by: set exactly one of phone, email or tracking_number (O2)");
  req.set_phone("138 0013 8000");
  EXPECT_EQ(*RequestTerm(req), (LookupTerm{LookupKind::kPhone, "8613800138000"}));
  req.set_email(" A@B.cn");
  EXPECT_EQ(*RequestTerm(req), (LookupTerm{LookupKind::kEmail, "a@b.cn"}));
  req.set_tracking_number("sf-1");
  EXPECT_EQ(*RequestTerm(req), (LookupTerm{LookupKind::kTracking, "SF1"}));
  req.set_tracking_number("");
  EXPECT_EQ(RequestTerm(req).status().message(),
            "tracking_number: must be 1..64 characters besides spaces and '-'");
  req.set_phone("12");
  EXPECT_EQ(RequestTerm(req).status().message(),
            "phone: must be a phone number of 8..15 digits with its country code");
  req.set_email("x");
  EXPECT_EQ(RequestTerm(req).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LookupTermsTest, KindNames) {
  EXPECT_EQ(LookupKindName(LookupKind::kPhone), "phone");
  EXPECT_EQ(LookupKindName(LookupKind::kEmail), "email");
  EXPECT_EQ(LookupKindName(LookupKind::kTracking), "tracking");
}

}  // namespace
}  // namespace revisit::order
