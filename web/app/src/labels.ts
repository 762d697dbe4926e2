// What a bureau user reads for the API's enum values, in Simplified Chinese.
import { Role } from "./gen/rectify/v1/common_pb";

const roleNames: Record<Role, string> = {
  [Role.UNSPECIFIED]: "未知角色",
  [Role.INSPECTOR]: "执法人员",
  [Role.SUPERVISOR]: "科室负责人",
  [Role.RECTIFIER]: "整改责任单位",
  [Role.BUREAU_HEAD]: "局领导",
  [Role.POLICE]: "公安机关联络员",
  [Role.PROCURATOR]: "检察机关联络员",
  [Role.AUDITOR]: "监督人员",
  [Role.ADMIN]: "系统管理员",
  [Role.SYSTEM]: "系统",
};

export function roleName(role: Role): string {
  return roleNames[role] ?? roleNames[Role.UNSPECIFIED];
}
