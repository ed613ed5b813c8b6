#include "tools/demo/sim.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "revisit/complaint/v1/complaint.grpc.pb.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "revisit/outreach/v1/outreach.grpc.pb.h"
#include "tools/demo/scheduler.h"

namespace revisit::demo {
namespace {

namespace ov1 = revisit::order::v1;
namespace cv1 = revisit::complaint::v1;
namespace rv1 = revisit::outreach::v1;
namespace lv1 = revisit::loyalty::v1;
namespace common = revisit::common::v1;

// A product and what tends to go wrong with it (C4 causes).
struct Product {
  const char* sku;
  const char* name;
  const char* category;
  int64_t price_minor;
  double problem_rate;
  cv1::Cause typical;
  bool fragile;
};

const Product kCatalog[] = {
    {"TEA-LJ-250", "明前龙井 250g", "tea", 12800, 0.02, cv1::CAUSE_NOT_AS_DESCRIBED, false},
    {"CUP-CER-01", "青瓷茶杯", "kitchen", 5900, 0.04, cv1::CAUSE_TRANSIT_DAMAGE, true},
    {"SKIN-SER-30", "修护精华 30ml", "skincare", 23900, 0.07, cv1::CAUSE_EXPECTATION_GAP, false},
    {"SHOE-RUN-38", "轻量跑鞋", "shoes", 45900, 0.06, cv1::CAUSE_QUALITY_DEFECT, false},
    {"KET-ELE-15", "电热水壶 1.5L", "appliance", 19900, 0.05, cv1::CAUSE_QUALITY_DEFECT, false},
    {"SCARF-SLK", "真丝围巾", "apparel", 32900, 0.05, cv1::CAUSE_NOT_AS_DESCRIBED, false},
    {"HONEY-500", "百花蜂蜜 500g", "food", 8800, 0.01, cv1::CAUSE_WRONG_OR_MISSING_ITEM, true},
    {"BAG-LTH-02", "牛皮手提包", "bags", 89900, 0.04, cv1::CAUSE_QUALITY_DEFECT, false},
    {"RICE-COOK", "智能电饭煲", "appliance", 59900, 0.05, cv1::CAUSE_CUSTOMER_MISUSE, false},
    {"SOCKS-5P", "棉袜五双装", "apparel", 3900, 0.02, cv1::CAUSE_WRONG_OR_MISSING_ITEM, false},
};
constexpr int kProducts = sizeof(kCatalog) / sizeof(kCatalog[0]);
const Product kNewProduct = {"TEA-BAI-NEW", "白牡丹白茶 (新品)", "tea", 16800, 0.02,
                             cv1::CAUSE_NOT_AS_DESCRIBED, false};

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"};
const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟"};
const char* const kCities[][3] = {{"浙江省", "杭州市", "西湖区"}, {"上海市", "上海市", "浦东新区"},
                                  {"广东省", "深圳市", "南山区"}, {"北京市", "北京市", "朝阳区"},
                                  {"四川省", "成都市", "武侯区"}, {"江苏省", "南京市", "鼓楼区"}};
const char* const kCarriers[] = {"SF Express", "ZTO", "YTO", "JD Logistics"};

struct Customer {
  int idx = 0;
  std::string id;
  double rhythm_days = 30;   // their own purchase rhythm (L9)
  int lapse_after = 1000;    // stops buying after this many orders
  double answer_p = 0.6;     // answers feedback requests
  std::atomic<int> orders{0};
  std::atomic<bool> lapsed{false};
  std::atomic<bool> unhappy{false};
  std::mutex mu;
  std::vector<std::string> seen_touches;  // win-back / new-product touches already acted on
};

struct OrderCtx {
  std::shared_ptr<Customer> c;
  std::string order_id;
  std::string line_id;   // the line a problem concerns
  const Product* product = nullptr;
  int64_t total = 0;
  bool extra = false;    // an extra order (new product, win-back): does not drive the rhythm
  bool late = false;
  bool inspected = false;
  cv1::Cause problem = cv1::CAUSE_UNSPECIFIED;
  bool complained = false;
};

struct ComplaintCtx {
  std::shared_ptr<OrderCtx> o;
  std::string complaint_id;
  cv1::Cause cause = cv1::CAUSE_UNSPECIFIED;
  std::vector<cv1::Remedy> proposals;
};

double Uniform(double a, double b);

class Sim {
 public:
  Sim(const SimOptions& o, SimStats* s) : o_(o), s_(s) {
    auto ch = [&o](const std::string& a) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
      return grpc::CreateCustomChannel(
          a, o.credentials ? o.credentials : grpc::InsecureChannelCredentials(), args);
    };
    order_ = ov1::OrderService::NewStub(ch(o.order_addr));
    complaint_ = cv1::ComplaintService::NewStub(ch(o.complaint_addr));
    outreach_ = rv1::OutreachService::NewStub(ch(o.outreach_addr));
    loyalty_ = lv1::LoyaltyService::NewStub(ch(o.loyalty_addr));
  }

  bool Run();

 private:
  // --- time: the stack's domain clock runs o_.scale times faster than ours.
  absl::Time After(double domain_hours) const {
    return absl::Now() + absl::Seconds(domain_hours * 3600.0 / o_.scale);
  }
  // A re-poll: `domain_hours` later but never sooner than `min_wall_s`, so polling
  // cannot swamp a service that is behind.
  absl::Time Repoll(double domain_hours, double min_wall_s = 2.0) const {
    return absl::Now() + absl::Seconds(std::max(domain_hours * 3600.0 / o_.scale, min_wall_s));
  }
  double ElapsedDays() const { return absl::ToDoubleSeconds(absl::Now() - start_) * o_.scale / 86400.0; }
  bool BuyingOpen() const { return ElapsedDays() < o_.days; }

  std::unique_ptr<grpc::ClientContext> Ctx() const {
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(15)));
    return c;
  }
  std::string Rid(const std::string& what) const { return absl::StrCat("demo-", o_.run_id, "-", what); }
  bool Ok(const grpc::Status& st, const char* rpc) {
    if (st.ok()) return true;
    ++s_->rpc_errors;
    std::lock_guard<std::mutex> l(err_mu_);
    std::string key = absl::StrCat(rpc, ": ", st.error_message().substr(0, 90));
    if (s_->error_samples.size() < 40 || s_->error_samples.count(key)) ++s_->error_samples[key];
    return false;
  }

  common::Actor Agent() const {
    common::Actor a;
    a.set_id(absl::StrCat("agent-", static_cast<int>(Uniform(1, 9))));
    a.set_role("agent");
    return a;
  }
  common::Actor CustomerActor(const Customer& c) const {
    common::Actor a;
    a.set_id(c.id);
    a.set_role("customer");
    return a;
  }

  void Register(int i);
  void PlaceOrder(std::shared_ptr<Customer> c, const Product* forced, bool extra);
  void Ship(std::shared_ptr<OrderCtx> o);
  void Deliver(std::shared_ptr<OrderCtx> o);
  void OpenDirect(std::shared_ptr<OrderCtx> o);
  void FeedbackPoll(std::shared_ptr<OrderCtx> o, int attempt);
  void StartHandling(std::shared_ptr<OrderCtx> o, const std::string& complaint_id);
  void Acknowledge(std::shared_ptr<ComplaintCtx> k);
  void Investigate(std::shared_ptr<ComplaintCtx> k);
  void Accept(std::shared_ptr<ComplaintCtx> k);
  void AwaitResolved(std::shared_ptr<ComplaintCtx> k, int attempt);
  void FollowUpPoll(std::shared_ptr<ComplaintCtx> k, int attempt);
  void AwaitClosed(std::shared_ptr<ComplaintCtx> k, int attempt);
  void WinBackPoll(std::shared_ptr<Customer> c, int attempt);
  void Announce();
  void NewProductPoll(std::shared_ptr<Customer> c, int attempt);
  // Finds the customer's touch with `trigger` (and `source` unless empty) that is
  // not in `skip`; false when the call failed.
  bool FindTouch(const Customer& c, rv1::Trigger trigger, const std::string& source,
                 const std::vector<std::string>* skip, rv1::Touch* out, bool* found);
  void Progress();

  SimOptions o_;
  SimStats* s_;
  std::unique_ptr<ov1::OrderService::Stub> order_;
  std::unique_ptr<cv1::ComplaintService::Stub> complaint_;
  std::unique_ptr<rv1::OutreachService::Stub> outreach_;
  std::unique_ptr<lv1::LoyaltyService::Stub> loyalty_;
  Scheduler sched_;
  absl::Time start_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Customer>> registered_;
  std::atomic<int64_t> order_seq_{0};
  std::atomic<bool> done_{false};
  std::mutex err_mu_;
  std::mutex list_mu_;
  std::condition_variable list_cv_;
  int listing_ = 0;
};

thread_local std::mt19937_64* tl_rng = nullptr;
std::atomic<uint64_t> g_seed{7};

std::mt19937_64& Rng() {
  if (tl_rng == nullptr) tl_rng = new std::mt19937_64(g_seed.fetch_add(0x9e3779b97f4a7c15ULL));
  return *tl_rng;
}
double Uniform(double a, double b) { return std::uniform_real_distribution<double>(a, b)(Rng()); }
bool Chance(double p) { return Uniform(0, 1) < p; }
int Pick(int n) { return static_cast<int>(Uniform(0, n)) % n; }

bool Sim::Run() {
  g_seed = o_.seed * 1000003ULL + 1;
  // Reachability: a NOT_FOUND answer proves the order service is up.
  {
    ov1::GetCustomerRequest req;
    req.set_customer_id("cus-0000000000000000");
    ov1::GetCustomerResponse resp;
    auto ctx = Ctx();
    grpc::Status st = order_->GetCustomer(ctx.get(), req, &resp);
    if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
        st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      std::fprintf(stderr, "revisit-demo: order service at %s unreachable: %s\n",
                   o_.order_addr.c_str(), st.error_message().c_str());
      return false;
    }
  }
  start_ = absl::Now();
  // Customers register over the first quarter of the period.
  for (int i = 0; i < o_.customers; ++i) {
    double at_day = (o_.customers == 1 ? 0 : 0.25 * o_.days * i / (o_.customers - 1));
    sched_.At(start_ + absl::Seconds(at_day * 86400 / o_.scale), [this, i] { Register(i); });
  }
  // A new product half-way through: top tiers hear first (R4), with a holdout (R12).
  sched_.At(start_ + absl::Seconds(0.45 * o_.days * 86400 / o_.scale), [this] { Announce(); });
  std::thread progress([this] { Progress(); });
  absl::Time deadline = start_ + absl::Seconds((o_.days + o_.drain_days) * 86400 / o_.scale);
  sched_.Run(o_.threads, deadline);
  done_ = true;
  progress.join();
  s_->wall = absl::Now() - start_;
  std::lock_guard<std::mutex> l(mu_);
  for (const auto& c : registered_) s_->customer_ids.push_back(c->id);
  return true;
}

void Sim::Progress() {
  absl::Time next = absl::Now() + absl::Seconds(5);
  while (!done_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (absl::Now() < next) continue;
    next += absl::Seconds(5);
    std::fprintf(stderr,
                 "  [%4.0fs] day %5.1f/%.0f  customers %lld  orders %lld  delivered %lld  "
                 "feedback %lld  complaints %lld  resolved %lld  closed %lld  lapsed %lld  "
                 "errors %lld  queue %zu  lag %.2fs\n",
                 absl::ToDoubleSeconds(absl::Now() - start_), ElapsedDays(), o_.days,
                 (long long)s_->customers.load(), (long long)s_->orders.load(),
                 (long long)s_->delivered.load(), (long long)s_->feedback_given.load(),
                 (long long)s_->complaints_handled.load(), (long long)s_->resolved.load(),
                 (long long)s_->closed.load(), (long long)s_->lapsed.load(),
                 (long long)s_->rpc_errors.load(), sched_.Queued(),
                 absl::ToDoubleSeconds(sched_.TakeMaxLag()));
  }
}

void Sim::Register(int i) {
  auto c = std::make_shared<Customer>();
  c->idx = i;
  // Purchase rhythm: most every 2-6 weeks, some monthly-plus.
  c->rhythm_days = Chance(0.7) ? Uniform(12, 40) : Uniform(40, 70);
  // A quarter of customers drift away after one to three orders (L9).
  c->lapse_after = Chance(0.25) ? 1 + Pick(3) : 1000;
  c->answer_p = Chance(0.5) ? 0.8 : 0.35;
  ov1::CreateCustomerRequest req;
  req.set_request_id(Rid(absl::StrCat("c", i)));
  auto* cu = req.mutable_customer();
  cu->set_name(absl::StrCat(kSurnames[Pick(12)], kGiven[Pick(14)], Chance(0.5) ? kGiven[Pick(14)] : ""));
  cu->add_phones(absl::StrFormat("138%08d", 10000000 + i));
  cu->add_emails(absl::StrFormat("customer%d@example.com", i));
  const auto& city = kCities[Pick(6)];
  auto* a = cu->add_addresses();
  a->set_recipient(cu->name());
  a->set_phone(cu->phones(0));
  a->set_province(city[0]);
  a->set_city(city[1]);
  a->set_district(city[2]);
  a->set_street(absl::StrCat(1 + Pick(300), "号"));
  a->set_postal_code("310000");
  cu->mutable_birthday()->set_month(1 + Pick(12));
  cu->mutable_birthday()->set_day(1 + Pick(28));
  cu->set_time_zone("Asia/Shanghai");
  cu->set_age(18 + Pick(50));
  cu->set_gender(Chance(0.6) ? ov1::GENDER_FEMALE : ov1::GENDER_MALE);
  // Consent per channel (R6): most allow something, a few nothing at all.
  if (!Chance(0.04)) {
    for (auto [ch, p] : {std::pair{common::CHANNEL_APP_PUSH, 0.8}, std::pair{common::CHANNEL_EMAIL, 0.6},
                         std::pair{common::CHANNEL_SMS, 0.5}, std::pair{common::CHANNEL_PHONE, 0.4}}) {
      auto* cc = cu->add_consents();
      cc->set_channel(ch);
      cc->set_granted(Chance(p));
    }
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    if (registered_.size() > 10 && Chance(0.2)) cu->set_referrer_id(registered_[Pick(registered_.size())]->id);
  }
  ov1::CreateCustomerResponse resp;
  auto ctx = Ctx();
  if (!Ok(order_->CreateCustomer(ctx.get(), req, &resp), "CreateCustomer")) return;
  c->id = resp.customer().customer_id();
  ++s_->customers;
  if (!cu->referrer_id().empty()) ++s_->referred;
  {
    std::lock_guard<std::mutex> l(mu_);
    registered_.push_back(c);
  }
  sched_.At(After(Uniform(4, 96)), [this, c] { PlaceOrder(c, nullptr, false); });
}

void Sim::PlaceOrder(std::shared_ptr<Customer> c, const Product* forced, bool extra) {
  if (!BuyingOpen()) return;
  if (!extra) {
    if (c->lapsed) return;
    // Lapse: their set number of orders, or an unhappy experience (L9).
    bool lapse = c->orders >= c->lapse_after || (c->unhappy && Chance(0.5));
    if (lapse) {
      c->lapsed = true;
      ++s_->lapsed;
      sched_.At(After(24 * 20), [this, c] { WinBackPoll(c, 0); });
      return;
    }
  }
  auto o = std::make_shared<OrderCtx>();
  o->c = c;
  o->extra = extra;
  int64_t n = order_seq_++;
  ov1::CreateOrderRequest req;
  req.set_request_id(Rid(absl::StrCat("o", n)));
  req.set_customer_id(c->id);
  int lines = forced ? 1 : 1 + (Chance(0.35) ? 1 : 0) + (Chance(0.1) ? 1 : 0);
  // A favourite first product per customer gives per-customer habits.
  int base = c->idx % kProducts;
  std::vector<int> used;
  for (int i = 0; i < lines; ++i) {
    const Product* p = forced;
    if (!p) {
      int k = Chance(0.5) ? base : Pick(kProducts);
      if (std::find(used.begin(), used.end(), k) != used.end()) continue;
      used.push_back(k);
      p = &kCatalog[k];
    }
    if (!o->product) o->product = p;
    auto* l = req.add_lines();
    l->set_sku(p->sku);
    l->set_name(p->name);
    l->set_category(p->category);
    l->set_quantity(Chance(0.8) ? 1 : 2);
    l->mutable_unit_price()->set_amount_minor(p->price_minor);
    l->mutable_unit_price()->set_currency("CNY");
    l->set_discounted(Chance(0.1));
  }
  auto* a = req.mutable_shipping_address();
  const auto& city = kCities[c->idx % 6];
  a->set_recipient("收件人");
  a->set_phone(absl::StrFormat("139%08d", 10000000 + c->idx));
  a->set_province(city[0]);
  a->set_city(city[1]);
  a->set_district(city[2]);
  a->set_street(absl::StrCat(1 + c->idx % 300, "号"));
  a->set_postal_code("310000");
  if (Chance(0.05)) {  // O6 gift orders
    req.mutable_gift()->set_recipient_name("朋友");
    req.mutable_gift()->set_recipient_phone("13700000000");
    req.mutable_gift()->set_card_message("生日快乐！");
  }
  ov1::CreateOrderResponse created;
  {
    auto ctx = Ctx();
    if (!Ok(order_->CreateOrder(ctx.get(), req, &created), "CreateOrder")) return;
  }
  ++s_->orders;
  ++c->orders;
  o->order_id = created.order().order_id();
  o->line_id = created.order().lines(0).line_id();
  o->total = created.order().total().amount_minor();
  auto next = [this, c, extra] {
    if (!extra) sched_.At(After(24 * c->rhythm_days * Uniform(0.6, 1.4)), [this, c] { PlaceOrder(c, nullptr, false); });
  };
  if (Chance(0.03)) {  // changed their mind before paying
    ov1::CancelOrderRequest cr;
    cr.set_request_id(Rid(absl::StrCat("o", n, "-cancel")));
    cr.set_order_id(o->order_id);
    cr.set_reason("顾客改变主意");
    ov1::CancelOrderResponse cresp;
    auto ctx = Ctx();
    if (Ok(order_->CancelOrder(ctx.get(), cr, &cresp), "CancelOrder")) ++s_->cancelled;
    next();
    return;
  }
  ov1::PayOrderRequest pr;
  pr.set_request_id(Rid(absl::StrCat("o", n, "-pay")));
  pr.set_order_id(o->order_id);
  *pr.mutable_amount() = created.order().total();
  pr.set_payment_reference(absl::StrCat("alipay-", o_.run_id, "-", n));
  ov1::PayOrderResponse presp;
  {
    auto ctx = Ctx();
    if (!Ok(order_->PayOrder(ctx.get(), pr, &presp), "PayOrder")) return;
  }
  ++s_->paid;
  // O3: same-day shipping, except a few late ones that miss the cut-off.
  o->late = Chance(0.08);
  double ship_h = o->late ? Uniform(30, 60) : Uniform(1, 6);
  sched_.At(After(ship_h), [this, o] { Ship(o); });
  next();
}

void Sim::Ship(std::shared_ptr<OrderCtx> o) {
  ov1::ShipOrderRequest req;
  req.set_request_id(Rid(o->order_id + "-ship"));
  req.set_order_id(o->order_id);
  int k = Pick(4);
  req.set_carrier(kCarriers[k]);
  req.set_tracking_number(absl::StrFormat("%c%012d", "SZYJ"[k], static_cast<int>(Uniform(1, 9.9e8))));
  ov1::ShipOrderResponse resp;
  auto ctx = Ctx();
  if (!Ok(order_->ShipOrder(ctx.get(), req, &resp), "ShipOrder")) return;
  ++s_->shipped;
  if (o->late) ++s_->shipped_late;
  sched_.At(After(Uniform(20, 90)), [this, o] { Deliver(o); });
}

void Sim::Deliver(std::shared_ptr<OrderCtx> o) {
  o->inspected = Chance(0.65);  // O4
  ov1::ConfirmDeliveryRequest req;
  req.set_request_id(Rid(o->order_id + "-deliver"));
  req.set_order_id(o->order_id);
  req.set_inspected_on_receipt(o->inspected);
  ov1::ConfirmDeliveryResponse resp;
  auto ctx = Ctx();
  if (!Ok(order_->ConfirmDelivery(ctx.get(), req, &resp), "ConfirmDelivery")) return;
  ++s_->delivered;
  if (o->inspected) ++s_->inspected;
  // What went wrong, if anything (C4).
  const Product* p = o->product;
  if (Chance(p->problem_rate)) o->problem = p->typical;
  else if (p->fragile && !o->inspected && Chance(0.05)) o->problem = cv1::CAUSE_TRANSIT_DAMAGE;
  else if (o->late && Chance(0.2)) o->problem = cv1::CAUSE_DELIVERY_DELAY;
  else if (Chance(0.005)) o->problem = cv1::CAUSE_STAFF_ATTITUDE;
  if (o->problem != cv1::CAUSE_UNSPECIFIED) {
    ++s_->problems;
    // Some complain at once; the others wait for the feedback request (R11).
    if (Chance(0.5)) sched_.At(After(Uniform(2, 36)), [this, o] { OpenDirect(o); });
  }
  // R1: the feedback request comes 3 days after delivery; look for it then.
  sched_.At(After(72 + Uniform(2, 10)), [this, o] { FeedbackPoll(o, 0); });
}

void Sim::OpenDirect(std::shared_ptr<OrderCtx> o) {
  if (o->complained) return;
  o->complained = true;
  cv1::OpenComplaintRequest req;
  req.set_request_id(Rid(o->order_id + "-complain"));
  *req.mutable_actor() = CustomerActor(*o->c);
  req.set_customer_id(o->c->id);
  req.set_order_id(o->order_id);
  req.add_line_ids(o->line_id);
  // The stated cause is often not the real one (C4).
  req.set_stated_cause(Chance(0.7) ? o->problem : cv1::CAUSE_QUALITY_DEFECT);
  req.set_account(absl::StrCat("收到的", o->product->name, "有问题，希望尽快处理。"));
  req.set_desired_remedy(Chance(0.5) ? cv1::REMEDY_KIND_PARTIAL_REFUND : cv1::REMEDY_KIND_VOUCHER);
  req.set_channel(common::CHANNEL_APP_PUSH);
  cv1::OpenComplaintResponse resp;
  auto ctx = Ctx();
  if (!Ok(complaint_->OpenComplaint(ctx.get(), req, &resp), "OpenComplaint")) return;
  ++s_->complaints_direct;
  StartHandling(o, resp.complaint().complaint_id());
}

bool Sim::FindTouch(const Customer& c, rv1::Trigger trigger, const std::string& source,
                    const std::vector<std::string>* skip, rv1::Touch* out, bool* found) {
  *found = false;
  // At most a few listings in flight: they are reads that must not crowd out the loop.
  {
    std::unique_lock<std::mutex> l(list_mu_);
    list_cv_.wait(l, [this] { return listing_ < 6; });
    ++listing_;
  }
  struct Release {
    Sim* s;
    ~Release() {
      std::lock_guard<std::mutex> l(s->list_mu_);
      --s->listing_;
      s->list_cv_.notify_one();
    }
  } release{this};
  rv1::ListTouchesRequest req;
  req.set_customer_id(c.id);
  req.mutable_page()->set_page_size(200);
  rv1::ListTouchesResponse resp;
  auto ctx = Ctx();
  grpc::Status st = outreach_->ListTouches(ctx.get(), req, &resp);
  // NOT_FOUND: outreach has not projected this customer yet (it learns customers from
  // revisit.order.v1): nothing to find yet, the caller polls again; not an RPC error.
  if (st.error_code() == grpc::StatusCode::NOT_FOUND) return true;
  if (!Ok(st, "ListTouches")) return false;
  for (const auto& t : resp.touches()) {
    if (t.trigger() != trigger) continue;
    if (!source.empty() && t.source_id() != source) continue;
    if (skip && std::find(skip->begin(), skip->end(), t.touch_id()) != skip->end()) continue;
    *out = t;
    *found = true;
    return true;
  }
  return true;
}

void Sim::FeedbackPoll(std::shared_ptr<OrderCtx> o, int attempt) {
  rv1::Touch t;
  bool found = false;
  if (!FindTouch(*o->c, rv1::TRIGGER_FEEDBACK_REQUEST, o->order_id, nullptr, &t, &found)) found = false;
  if (found && (t.state() == rv1::TOUCH_STATE_SUPPRESSED || t.state() == rv1::TOUCH_STATE_CANCELLED ||
                t.state() == rv1::TOUCH_STATE_FAILED)) {
    // Never reached them: an unhappy customer complains on their own.
    if (o->problem != cv1::CAUSE_UNSPECIFIED && !o->complained) OpenDirect(o);
    return;
  }
  if (!found || t.state() != rv1::TOUCH_STATE_SENT) {
    if (attempt < 20) sched_.At(Repoll(24), [this, o, attempt] { FeedbackPoll(o, attempt + 1); });
    return;
  }
  if (t.has_feedback()) return;
  bool problem = o->problem != cv1::CAUSE_UNSPECIFIED;
  if (!Chance(problem && !o->complained ? 0.9 : o->c->answer_p)) return;
  int rating;
  if (problem && !o->complained) rating = Chance(0.6) ? 1 : 2;
  else if (problem) rating = Chance(0.5) ? 3 : 4;
  else {
    double u = Uniform(0, 1);
    rating = u < 0.55 ? 5 : u < 0.85 ? 4 : u < 0.97 ? 3 : 2;  // a few low ones with no defect
  }
  rv1::RecordFeedbackRequest req;
  req.set_request_id(Rid(t.touch_id() + "-fb"));
  req.set_touch_id(t.touch_id());
  req.mutable_feedback()->set_rating(rating);
  req.mutable_feedback()->set_comment(rating >= 4 ? "很好用，谢谢！" : rating == 3 ? "还行" : "不满意，有问题");
  rv1::RecordFeedbackResponse resp;
  auto ctx = Ctx();
  if (!Ok(outreach_->RecordFeedback(ctx.get(), req, &resp), "RecordFeedback")) return;
  ++s_->feedback_given;
  if (rating <= 2) {
    ++s_->low_ratings;
    o->complained = true;
    if (o->problem == cv1::CAUSE_UNSPECIFIED) o->problem = cv1::CAUSE_EXPECTATION_GAP;
    if (!resp.touch().complaint_id().empty()) StartHandling(o, resp.touch().complaint_id());
  }
}

void Sim::StartHandling(std::shared_ptr<OrderCtx> o, const std::string& complaint_id) {
  auto k = std::make_shared<ComplaintCtx>();
  k->o = o;
  k->complaint_id = complaint_id;
  k->cause = o->problem;
  ++s_->complaints_handled;
  // C1: first response the same day; a few slip past 24 hours.
  double h = Chance(0.06) ? Uniform(26, 40) : Uniform(0.5, 10);
  sched_.At(After(h), [this, k] { Acknowledge(k); });
}

void Sim::Acknowledge(std::shared_ptr<ComplaintCtx> k) {
  cv1::AcknowledgeComplaintRequest req;
  req.set_request_id(Rid(k->complaint_id + "-ack"));
  *req.mutable_actor() = Agent();
  req.set_complaint_id(k->complaint_id);
  req.set_restatement(absl::StrCat("您反映的是", k->o->product->name, "的问题，对吗？"));
  req.set_restatement_confirmed(true);
  req.set_apology("非常抱歉给您带来不便。");
  cv1::AcknowledgeComplaintResponse resp;
  auto ctx = Ctx();
  if (!Ok(complaint_->AcknowledgeComplaint(ctx.get(), req, &resp), "AcknowledgeComplaint")) return;
  sched_.At(After(Uniform(2, 20)), [this, k] { Investigate(k); });
}

void Sim::Investigate(std::shared_ptr<ComplaintCtx> k) {
  {
    cv1::StartInvestigationRequest req;
    req.set_request_id(Rid(k->complaint_id + "-inv"));
    *req.mutable_actor() = Agent();
    req.set_complaint_id(k->complaint_id);
    cv1::StartInvestigationResponse resp;
    auto ctx = Ctx();
    if (!Ok(complaint_->StartInvestigation(ctx.get(), req, &resp), "StartInvestigation")) return;
  }
  {
    cv1::DetermineCauseRequest req;
    req.set_request_id(Rid(k->complaint_id + "-cause"));
    *req.mutable_actor() = Agent();
    req.set_complaint_id(k->complaint_id);
    req.set_cause(k->cause);
    req.set_note("核实订单、物流与照片后确认");
    cv1::DetermineCauseResponse resp;
    auto ctx = Ctx();
    if (!Ok(complaint_->DetermineCause(ctx.get(), req, &resp), "DetermineCause")) return;
  }
  // C6: offer choices. Product faults get money back; the rest an apology with a gesture.
  bool product_fault = k->cause == cv1::CAUSE_QUALITY_DEFECT || k->cause == cv1::CAUSE_NOT_AS_DESCRIBED ||
                       k->cause == cv1::CAUSE_WRONG_OR_MISSING_ITEM || k->cause == cv1::CAUSE_TRANSIT_DAMAGE;
  auto build = [&](bool goodwill) {
    cv1::ProposeRemediesRequest req;
    req.set_request_id(Rid(k->complaint_id + (goodwill ? "-prop-gw" : "-prop")));
    *req.mutable_actor() = Agent();
    req.set_complaint_id(k->complaint_id);
    auto money = [](cv1::Remedy* r, int64_t v) {
      r->mutable_amount()->set_amount_minor(v);
      r->mutable_amount()->set_currency("CNY");
    };
    if (product_fault) {
      auto* r = req.add_remedies();
      r->set_kind(cv1::REMEDY_KIND_PARTIAL_REFUND);
      money(r, std::max<int64_t>(100, std::min<int64_t>(k->o->total * Uniform(0.15, 0.35), 20000)));
      r->set_note("部分退款，商品可继续使用");
      if (goodwill) { r->set_goodwill(true); r->set_goodwill_reason("超出三包范围，作为诚意补偿"); }
      r = req.add_remedies();
      r->set_kind(cv1::REMEDY_KIND_VOUCHER);
      money(r, 2000 + 500 * Pick(3));
      r->set_note("下次购物可用的优惠券");
    } else {
      auto* r = req.add_remedies();
      r->set_kind(cv1::REMEDY_KIND_VOUCHER);
      money(r, 1000 + 500 * Pick(3));
      r->set_note("诚意补偿");
      r = req.add_remedies();
      r->set_kind(cv1::REMEDY_KIND_POINTS);
      r->set_points(200 + 100 * Pick(4));
      r->set_note("积分补偿");
      r = req.add_remedies();
      r->set_kind(cv1::REMEDY_KIND_APOLOGY);
      r->set_note("真诚道歉并承诺改进");
    }
    return req;
  };
  cv1::ProposeRemediesResponse resp;
  grpc::Status st;
  {
    auto ctx = Ctx();
    st = complaint_->ProposeRemedies(ctx.get(), build(false), &resp);
  }
  if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {  // outside 三包: goodwill (C13)
    auto ctx = Ctx();
    st = complaint_->ProposeRemedies(ctx.get(), build(true), &resp);
  }
  if (!Ok(st, "ProposeRemedies")) return;
  k->proposals.assign(resp.complaint().proposals().begin(), resp.complaint().proposals().end());
  sched_.At(After(Uniform(2, 24)), [this, k] { Accept(k); });
}

void Sim::Accept(std::shared_ptr<ComplaintCtx> k) {
  if (k->proposals.empty()) return;
  const cv1::Remedy& r = k->proposals[Chance(0.65) ? 0 : Pick(k->proposals.size())];
  if (r.requires_approval() && r.approved_by().empty()) {  // C8
    cv1::ApproveRemedyRequest req;
    req.set_request_id(Rid(k->complaint_id + "-approve"));
    req.mutable_actor()->set_id("supervisor-1");
    req.mutable_actor()->set_role("supervisor");
    req.set_complaint_id(k->complaint_id);
    req.set_remedy_id(r.remedy_id());
    cv1::ApproveRemedyResponse resp;
    auto ctx = Ctx();
    if (!Ok(complaint_->ApproveRemedy(ctx.get(), req, &resp), "ApproveRemedy")) return;
  }
  {
    cv1::AcceptRemedyRequest req;
    req.set_request_id(Rid(k->complaint_id + "-accept"));
    *req.mutable_actor() = CustomerActor(*k->o->c);
    req.set_complaint_id(k->complaint_id);
    req.set_remedy_id(r.remedy_id());
    cv1::AcceptRemedyResponse resp;
    auto ctx = Ctx();
    if (!Ok(complaint_->AcceptRemedy(ctx.get(), req, &resp), "AcceptRemedy")) return;
  }
  cv1::ResolveComplaintRequest req;
  req.set_request_id(Rid(k->complaint_id + "-resolve"));
  *req.mutable_actor() = Agent();
  req.set_complaint_id(k->complaint_id);
  cv1::ResolveComplaintResponse resp;
  auto ctx = Ctx();
  if (!Ok(complaint_->ResolveComplaint(ctx.get(), req, &resp), "ResolveComplaint")) return;
  if (resp.complaint().state() == cv1::COMPLAINT_STATE_RESOLVED) {
    ++s_->resolved;
    sched_.At(After(24 + Uniform(2, 8)), [this, k] { FollowUpPoll(k, 0); });
  } else {
    sched_.At(After(2), [this, k] { AwaitResolved(k, 0); });
  }
}

void Sim::AwaitResolved(std::shared_ptr<ComplaintCtx> k, int attempt) {
  cv1::GetComplaintRequest req;
  req.set_complaint_id(k->complaint_id);
  cv1::GetComplaintResponse resp;
  auto ctx = Ctx();
  if (Ok(complaint_->GetComplaint(ctx.get(), req, &resp), "GetComplaint") &&
      resp.complaint().state() == cv1::COMPLAINT_STATE_RESOLVED) {
    ++s_->resolved;
    sched_.At(After(24 + Uniform(2, 8)), [this, k] { FollowUpPoll(k, 0); });
    return;
  }
  if (attempt < 30) sched_.At(Repoll(4, 1), [this, k, attempt] { AwaitResolved(k, attempt + 1); });
}

void Sim::FollowUpPoll(std::shared_ptr<ComplaintCtx> k, int attempt) {
  rv1::Touch t;
  bool found = false;
  if (!FindTouch(*k->o->c, rv1::TRIGGER_COMPLAINT_FOLLOW_UP, k->complaint_id, nullptr, &t, &found)) found = false;
  double u = Uniform(0, 1);
  int satisfaction = u < 0.45 ? 5 : u < 0.75 ? 4 : u < 0.88 ? 3 : u < 0.95 ? 2 : 1;
  if (found && t.state() == rv1::TOUCH_STATE_SENT && !t.has_feedback()) {
    // C10: the customer answers the follow-up; outreach hands it to the complaint service.
    rv1::RecordFeedbackRequest req;
    req.set_request_id(Rid(t.touch_id() + "-sat"));
    req.set_touch_id(t.touch_id());
    req.mutable_feedback()->set_rating(satisfaction);
    req.mutable_feedback()->set_comment(satisfaction >= 4 ? "处理得很及时，满意" : "一般");
    rv1::RecordFeedbackResponse resp;
    auto ctx = Ctx();
    if (!Ok(outreach_->RecordFeedback(ctx.get(), req, &resp), "RecordFeedback")) return;
  } else if (found && (t.state() == rv1::TOUCH_STATE_SUPPRESSED || t.state() == rv1::TOUCH_STATE_CANCELLED ||
                       t.state() == rv1::TOUCH_STATE_FAILED || attempt >= 16)) {
    // No channel reached them: the agent phones and records it by hand.
    cv1::RecordFollowUpRequest req;
    req.set_request_id(Rid(k->complaint_id + "-fu"));
    *req.mutable_actor() = Agent();
    req.set_complaint_id(k->complaint_id);
    req.mutable_follow_up()->set_satisfaction(satisfaction);
    req.mutable_follow_up()->set_comment("电话回访");
    cv1::RecordFollowUpResponse resp;
    auto ctx = Ctx();
    if (!Ok(complaint_->RecordFollowUp(ctx.get(), req, &resp), "RecordFollowUp")) return;
  } else {
    if (attempt < 16) sched_.At(Repoll(12), [this, k, attempt] { FollowUpPoll(k, attempt + 1); });
    return;
  }
  ++s_->followups_answered;
  if (satisfaction <= 2) k->o->c->unhappy = true;
  sched_.At(After(Uniform(3, 12)), [this, k] { AwaitClosed(k, 0); });
}

void Sim::AwaitClosed(std::shared_ptr<ComplaintCtx> k, int attempt) {
  cv1::GetComplaintRequest g;
  g.set_complaint_id(k->complaint_id);
  cv1::GetComplaintResponse gr;
  auto ctx = Ctx();
  if (!Ok(complaint_->GetComplaint(ctx.get(), g, &gr), "GetComplaint")) return;
  // C10: the follow-up closes the complaint, or reopens it when the customer is
  // still unhappy (left with the handler; the demo's agents do not take it again).
  const cv1::ComplaintState state = gr.complaint().state();
  if (state == cv1::COMPLAINT_STATE_CLOSED) ++s_->closed;
  else if (state == cv1::COMPLAINT_STATE_REOPENED) ++s_->reopened;
  else if (attempt < 12) sched_.At(Repoll(6, 1), [this, k, attempt] { AwaitClosed(k, attempt + 1); });
}

void Sim::WinBackPoll(std::shared_ptr<Customer> c, int attempt) {
  if (!BuyingOpen()) return;
  rv1::Touch t;
  bool found = false;
  std::vector<std::string> seen;
  {
    std::lock_guard<std::mutex> l(c->mu);
    seen = c->seen_touches;
  }
  FindTouch(*c, rv1::TRIGGER_WIN_BACK, "", &seen, &t, &found);
  bool sent = found && t.state() == rv1::TOUCH_STATE_SENT;
  bool held_out = found && t.state() == rv1::TOUCH_STATE_SUPPRESSED;
  if (sent || held_out) {
    {
      std::lock_guard<std::mutex> l(c->mu);
      c->seen_touches.push_back(t.touch_id());
    }
    ++s_->win_back_seen;
    // R7: a real offer brings some back; the holdout comes back less often.
    if (Chance(sent ? 0.35 : 0.10)) {
      ++s_->win_back_returns;
      c->lapsed = false;
      c->unhappy = false;
      c->lapse_after = c->orders + 1 + Pick(3);
      sched_.At(After(24 * Uniform(1, 6)), [this, c] { PlaceOrder(c, nullptr, false); });
      return;
    }
  } else if (Chance(0.03)) {  // some come back by themselves
    c->lapsed = false;
    c->lapse_after = c->orders + 1;
    sched_.At(After(24), [this, c] { PlaceOrder(c, nullptr, false); });
    return;
  }
  sched_.At(Repoll(24 * 7), [this, c, attempt] { WinBackPoll(c, attempt + 1); });
}

void Sim::Announce() {
  rv1::AnnounceProductRequest req;
  req.set_request_id(Rid("announce"));
  req.set_sku(kNewProduct.sku);
  req.set_name(kNewProduct.name);
  req.set_category(kNewProduct.category);
  req.set_message("新品白茶上市，老顾客优先品鉴");
  req.set_wave_interval_seconds(12 * 3600);  // platinum first, half a day per tier (R4)
  rv1::AnnounceProductResponse resp;
  auto ctx = Ctx();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(90)));  // schedules a touch per customer
  if (!Ok(outreach_->AnnounceProduct(ctx.get(), req, &resp), "AnnounceProduct")) return;
  std::fprintf(stderr, "  new product announced: campaign %s, %lld touches scheduled\n",
               resp.campaign().c_str(), (long long)resp.touches_scheduled());
  std::vector<std::shared_ptr<Customer>> all;
  {
    std::lock_guard<std::mutex> l(mu_);
    all = registered_;
  }
  for (auto& c : all) sched_.At(After(24 * Uniform(2.5, 5)), [this, c] { NewProductPoll(c, 0); });
}

void Sim::NewProductPoll(std::shared_ptr<Customer> c, int attempt) {
  rv1::Touch t;
  bool found = false;
  FindTouch(*c, rv1::TRIGGER_NEW_PRODUCT, "", nullptr, &t, &found);
  if (!found) return;
  if (t.state() == rv1::TOUCH_STATE_SCHEDULED || t.state() == rv1::TOUCH_STATE_DEFERRED) {
    if (attempt < 8) sched_.At(Repoll(24), [this, c, attempt] { NewProductPoll(c, attempt + 1); });
    return;
  }
  double p = t.state() == rv1::TOUCH_STATE_SENT ? 0.30 : 0.06;  // the holdout only hears by chance
  if (Chance(p)) {
    ++s_->new_product_orders;
    sched_.At(After(24 * Uniform(0.2, 3)), [this, c] { PlaceOrder(c, &kNewProduct, true); });
  }
}

}  // namespace

bool RunSimulation(const SimOptions& o, SimStats* stats) {
  Sim sim(o, stats);
  return sim.Run();
}

}  // namespace revisit::demo
