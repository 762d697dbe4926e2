// The rectification-list decider and its Evolve; see lists.h.
#include "workflow/lists.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "workflow/decider.h"
#include "base/proto_time.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why, absl::string_view why_zh) {
  return InvalidField(field, why, why_zh);
}

const v1::ListItem* FindItem(const v1::RectificationList& list, const std::string& case_id) {
  for (const v1::ListItem& item : list.items()) {
    if (item.case_id() == case_id) return &item;
  }
  return nullptr;
}

absl::Status ValidateListCommand(const v1::Command& command) {
  RETURN_IF_ERROR(CheckId("command_id", command.command_id(), true));
  switch (command.request_case()) {
    case v1::Command::kCreateRectificationList: {
      const v1::CreateRectificationListRequest& r = command.create_rectification_list();
      RETURN_IF_ERROR(CheckText("title", r.title(), 200, true));
      RETURN_IF_ERROR(CheckText("origin", r.origin(), 500, false));
      RETURN_IF_ERROR(CheckId("owner_unit", r.owner_unit(), true));
      RETURN_IF_ERROR(CheckRegionPrefixCode("region_code", r.region_code()));
      return absl::OkStatus();
    }
    case v1::Command::kAddListItems: {
      const v1::AddListItemsRequest& r = command.add_list_items();
      RETURN_IF_ERROR(CheckId("list_id", r.list_id(), true));
      if (r.case_ids().empty()) return Invalid("case_ids", "name at least one case", "至少填写一个案件");
      if (r.case_ids_size() > kMaxListItemsPerCommand) {
        return Invalid("case_ids", absl::StrCat("at most ", kMaxListItemsPerCommand,
                                                " cases per call, got ", r.case_ids_size()),
                       absl::StrCat("一次最多添加 ", kMaxListItemsPerCommand, " 个案件，所填为 ",
                                    r.case_ids_size(), " 个"));
      }
      std::set<std::string> seen;
      for (int i = 0; i < r.case_ids_size(); ++i) {
        const std::string field = absl::StrCat("case_ids[", i, "]");
        RETURN_IF_ERROR(CheckCaseIdFormat(field, r.case_ids(i)));
        if (!seen.insert(r.case_ids(i)).second) {
          return Invalid(field, absl::StrCat("case ", r.case_ids(i), " is named twice"),
                         absl::StrCat("案件 ", r.case_ids(i), " 重复填写"));
        }
      }
      return absl::OkStatus();
    }
    case v1::Command::kRemoveListItem: {
      const v1::RemoveListItemRequest& r = command.remove_list_item();
      RETURN_IF_ERROR(CheckId("list_id", r.list_id(), true));
      RETURN_IF_ERROR(CheckCaseIdFormat("case_id", r.case_id()));
      RETURN_IF_ERROR(CheckText("reason", r.reason(), kMaxTextChars, true));
      return absl::OkStatus();
    }
    case v1::Command::kCloseRectificationList: {
      const v1::CloseRectificationListRequest& r = command.close_rectification_list();
      RETURN_IF_ERROR(CheckId("list_id", r.list_id(), true));
      RETURN_IF_ERROR(CheckText("remark", r.remark(), kMaxTextChars, false));
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError("the command is not a rectification-list command");
  }
}

// The list id a command names (the stream id for a create).
const std::string& NamedListId(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kAddListItems:
      return command.add_list_items().list_id();
    case v1::Command::kRemoveListItem:
      return command.remove_list_item().list_id();
    case v1::Command::kCloseRectificationList:
      return command.close_rectification_list().list_id();
    default:
      return command.stream_id();
  }
}

}  // namespace

bool IsListCommand(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kCreateRectificationList:
    case v1::Command::kAddListItems:
    case v1::Command::kRemoveListItem:
    case v1::Command::kCloseRectificationList:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> ListCommandCases(const v1::RectificationList& list,
                                          const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kAddListItems:
      return {command.add_list_items().case_ids().begin(),
              command.add_list_items().case_ids().end()};
    case v1::Command::kRemoveListItem:
      return {command.remove_list_item().case_id()};
    case v1::Command::kCloseRectificationList: {
      std::vector<std::string> ids;
      ids.reserve(list.items_size());
      for (const v1::ListItem& item : list.items()) ids.push_back(item.case_id());
      return ids;
    }
    default:
      return {};
  }
}

absl::StatusOr<ListDecision> DecideList(const v1::RectificationList& list,
                                        const std::map<std::string, v1::Case>& cases,
                                        const v1::Command& command, const v1::Principal& principal,
                                        absl::Time now, const Policy& /*policy*/) {
  RETURN_IF_ERROR(ValidateListCommand(command));
  const std::string& list_id = command.stream_id();
  if (NamedListId(command) != list_id) {
    return Invalid("list_id", absl::StrCat("\"", NamedListId(command),
                                           "\" does not match the command's stream ", list_id),
                   absl::StrCat("“", NamedListId(command), "”与所办理的清单 ", list_id, " 不符"));
  }
  const bool create = command.has_create_rectification_list();
  if (create && list.version() != 0) {
    return Refuse(absl::StatusCode::kAlreadyExists,
                  absl::StrCat("rectification list ", list_id, " exists"),
                  absl::StrCat("整改清单 ", list_id, " 已存在"));
  }
  if (!create && list.version() == 0) {
    return Refuse(absl::StatusCode::kNotFound,
                  absl::StrCat("rectification list ", list_id, " does not exist"),
                  absl::StrCat("整改清单 ", list_id, " 不存在"));
  }
  if (command.has_expected_version() && command.expected_version() != list.version()) {
    return Refuse(absl::StatusCode::kAborted,
                  absl::StrCat("rectification list ", list_id, " is at version ", list.version(),
                               ", not the expected ", command.expected_version(),
                               "; reload it and decide again"),
                  absl::StrCat("整改清单 ", list_id, " 已被他人修改，请刷新后重试"));
  }
  if (principal.role() != v1::ROLE_SUPERVISOR) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  "only a supervisor may create, change or close a rectification list",
                  absl::StrCat("只有科室负责人才能建立、修改或清零整改清单；您的角色是",
                               RoleWords(principal.role())));
  }
  const std::string& region =
      create ? command.create_rectification_list().region_code() : list.region_code();
  if (!InJurisdiction(region, principal.jurisdiction())) {
    return WithUserMessage(
        absl::PermissionDeniedError(
            absl::StrCat(create ? "region_code: region " : "the list's region ", region,
                         " is outside the jurisdiction \"", principal.jurisdiction(), "\"")),
        absl::StrCat(create ? "区域 " : "清单所属区域 ", region, " 不在您的辖区（",
                     principal.jurisdiction(), "）内"));
  }
  if (!create && list.status() != v1::LIST_STATUS_OPEN) {
    return Refuse(absl::StatusCode::kFailedPrecondition,
                  absl::StrCat("rectification list ", list_id, " is closed; it can no longer change"),
                  absl::StrCat("整改清单 ", list_id, " 已清零，不能再修改"));
  }

  const v1::Event envelope = CommandEnvelope(command, principal, now);
  ListDecision decision;
  auto add_list_event = [&]() -> v1::Event& {
    v1::Event& event = decision.list_events.emplace_back(envelope);
    event.set_stream_id(list_id);
    event.set_stream_kind(v1::STREAM_KIND_RECTIFICATION_LIST);
    event.set_region_code(region);
    event.set_version(list.version() + static_cast<int64_t>(decision.list_events.size()));
    return event;
  };
  auto add_case_event = [&](const v1::Case& state) -> v1::Event& {
    std::vector<v1::Event>& events = decision.case_events[state.case_id()];
    v1::Event& event = events.emplace_back(envelope);
    event.set_stream_id(state.case_id());
    event.set_stream_kind(v1::STREAM_KIND_CASE);
    event.set_region_code(state.location().region_code());
    event.set_version(state.version() + static_cast<int64_t>(events.size()));
    return event;
  };
  auto find_case = [&](const std::string& case_id) -> const v1::Case* {
    auto found = cases.find(case_id);
    return found == cases.end() || found->second.version() == 0 ? nullptr : &found->second;
  };

  switch (command.request_case()) {
    case v1::Command::kCreateRectificationList: {
      const v1::CreateRectificationListRequest& r = command.create_rectification_list();
      v1::ListCreated& created = *add_list_event().mutable_list_created();
      created.set_list_id(list_id);
      created.set_title(r.title());
      created.set_origin(r.origin());
      created.set_owner_unit(r.owner_unit());
      created.set_region_code(r.region_code());
      break;
    }
    case v1::Command::kAddListItems: {
      const v1::AddListItemsRequest& r = command.add_list_items();
      int32_t number = list.last_item_number();
      for (int i = 0; i < r.case_ids_size(); ++i) {
        const std::string field = absl::StrCat("case_ids[", i, "]");
        const std::string& case_id = r.case_ids(i);
        const v1::Case* state = find_case(case_id);
        // A case outside the list's region is refused without saying whether
        // it exists, as reads outside a jurisdiction are.
        if (!absl::StartsWith(case_id, region.substr(0, 6)) ||
            (state != nullptr && !InJurisdiction(state->location().region_code(), region))) {
          return Invalid(field,
                         absl::StrCat("case ", case_id, " is outside the list's region ", region),
                         absl::StrCat("案件 ", case_id, " 不在清单所属区域 ", region, " 内"));
        }
        if (state == nullptr) {
          return WithUserMessage(
              absl::NotFoundError(absl::StrCat(field, ": case ", case_id, " does not exist")),
              absl::StrCat(FieldLabel(field), "：案件 ", case_id, " 不存在"), field);
        }
        if (FindItem(list, case_id) != nullptr) {
          return WithUserMessage(
              absl::FailedPreconditionError(
                  absl::StrCat(field, ": case ", case_id, " is already item ",
                               FindItem(list, case_id)->item_number(), " of list ", list_id)),
              absl::StrCat("案件 ", case_id, " 已是清单 ", list_id, " 的第 ",
                           FindItem(list, case_id)->item_number(), " 项"),
              field);
        }
        v1::ListItemAdded& added = *add_list_event().mutable_list_item_added();
        added.set_case_id(case_id);
        added.set_item_number(++number);
        add_case_event(*state).mutable_case_listed()->set_list_id(list_id);
      }
      break;
    }
    case v1::Command::kRemoveListItem: {
      const v1::RemoveListItemRequest& r = command.remove_list_item();
      if (FindItem(list, r.case_id()) == nullptr) {
        return WithUserMessage(
            absl::FailedPreconditionError(
                absl::StrCat("case_id: case ", r.case_id(), " is not on list ", list_id)),
            absl::StrCat("案件 ", r.case_id(), " 不在清单 ", list_id, " 中"), "case_id");
      }
      const v1::Case* state = find_case(r.case_id());
      if (state == nullptr) {
        return Refuse(absl::StatusCode::kNotFound,
                      absl::StrCat("case ", r.case_id(), " does not exist"),
                      absl::StrCat("案件 ", r.case_id(), " 不存在"));
      }
      v1::ListItemRemoved& removed = *add_list_event().mutable_list_item_removed();
      removed.set_case_id(r.case_id());
      removed.set_reason(r.reason());
      add_case_event(*state).mutable_case_unlisted()->set_list_id(list_id);
      break;
    }
    case v1::Command::kCloseRectificationList: {
      // 清零 means every problem on the list was dealt with: a list with none
      // has nothing to show for it.
      if (list.items().empty()) {
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("rectification list ", list_id,
                                   " has no items; a list is closed (清零) when every "
                                   "one of its items is closed, so add its cases first"),
                      absl::StrCat("整改清单 ", list_id,
                                   " 还没有案件；清单中的案件全部销号后才能清零，请先添加案件"));
      }
      std::vector<std::string> open;
      std::vector<std::string> open_words;
      for (const v1::ListItem& item : list.items()) {
        const v1::Case* state = find_case(item.case_id());
        if (state == nullptr) {
          return Refuse(absl::StatusCode::kNotFound,
                        absl::StrCat("case ", item.case_id(), " does not exist"),
                        absl::StrCat("案件 ", item.case_id(), " 不存在"));
        }
        if (state->status() != v1::CASE_STATUS_CLOSED) {
          open.push_back(absl::StrCat("#", item.item_number(), " ", item.case_id(), " (",
                                      CaseStatusName(state->status()), ")"));
          open_words.push_back(absl::StrCat("第 ", item.item_number(), " 项 ", item.case_id(), "（",
                                            CaseStatusWords(state->status()), "）"));
        }
      }
      if (!open.empty()) {
        constexpr size_t kNamed = 20;
        std::string named =
            absl::StrJoin(open.begin(), open.begin() + std::min(open.size(), kNamed), ", ");
        if (open.size() > kNamed) absl::StrAppend(&named, " and ", open.size() - kNamed, " more");
        std::string named_words = absl::StrJoin(
            open_words.begin(), open_words.begin() + std::min(open_words.size(), kNamed), "、");
        if (open_words.size() > kNamed) {
          absl::StrAppend(&named_words, "等 ", open_words.size(), " 项");
        }
        return Refuse(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("rectification list ", list_id, " cannot be closed: ",
                                   open.size(), " of ", list.items_size(),
                                   " items are not CLOSED: ", named),
                      absl::StrCat("整改清单 ", list_id, " 还不能清零：", list.items_size(),
                                   " 项中有 ", open.size(), " 项尚未销号：", named_words));
      }
      add_list_event().mutable_list_closed()->set_remark(
          command.close_rectification_list().remark());
      break;
    }
    default:
      return absl::InvalidArgumentError("the command is not a rectification-list command");
  }
  return decision;
}

absl::Status EvolveList(v1::RectificationList& list, const v1::Event& event) {
  auto corrupt = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.stream_id(), "#", event.version(), " does not fit: ", why));
  };
  if (event.version() != list.version() + 1) {
    return corrupt(absl::StrCat("the list is at version ", list.version()));
  }
  if (list.version() == 0 && !event.has_list_created()) {
    return corrupt("a list stream starts with ListCreated");
  }
  if (list.version() > 0 && event.stream_id() != list.list_id()) {
    return corrupt(absl::StrCat("it belongs to another stream than ", list.list_id()));
  }
  switch (event.payload_case()) {
    case v1::Event::kListCreated: {
      if (list.version() != 0) return corrupt("a list is created once");
      const v1::ListCreated& created = event.list_created();
      list.set_list_id(created.list_id());
      list.set_title(created.title());
      list.set_origin(created.origin());
      list.set_owner_unit(created.owner_unit());
      list.set_region_code(created.region_code());
      list.set_status(v1::LIST_STATUS_OPEN);
      *list.mutable_created_at() = event.recorded_at();
      break;
    }
    case v1::Event::kListItemAdded: {
      v1::ListItem& item = *list.add_items();
      item.set_case_id(event.list_item_added().case_id());
      item.set_item_number(event.list_item_added().item_number());
      *item.mutable_added_at() = event.recorded_at();
      list.set_last_item_number(std::max(list.last_item_number(), item.item_number()));
      break;
    }
    case v1::Event::kListItemRemoved: {
      auto* items = list.mutable_items();
      const std::string& case_id = event.list_item_removed().case_id();
      auto found = std::find_if(items->begin(), items->end(), [&](const v1::ListItem& item) {
        return item.case_id() == case_id;
      });
      if (found == items->end()) return corrupt(absl::StrCat("case ", case_id, " is not on it"));
      items->erase(found);
      break;
    }
    case v1::Event::kListClosed:
      list.set_status(v1::LIST_STATUS_CLOSED);
      *list.mutable_closed_at() = event.recorded_at();
      break;
    default:
      return corrupt("not a rectification-list event");
  }
  list.set_version(event.version());
  return absl::OkStatus();
}

}  // namespace rectify::workflow
