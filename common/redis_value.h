// RedisValue: a decoded Redis reply: nil, string (bulk or status), integer or array.
// A plain value type; thread-compatible.
#ifndef REVISIT_COMMON_REDIS_VALUE_H_
#define REVISIT_COMMON_REDIS_VALUE_H_

#include <string>
#include <vector>

namespace revisit {

struct RedisValue {
  enum class Type { kNil, kString, kInteger, kArray };
  Type type = Type::kNil;
  std::string str;
  long long integer = 0;
  std::vector<RedisValue> elements;

  bool is_nil() const { return type == Type::kNil; }
};

}  // namespace revisit

#endif  // REVISIT_COMMON_REDIS_VALUE_H_
