// Dates and countdowns as a user in China reads them.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { DeadlineUnit } from "./gen/rectify/v1/common_pb";

// Beijing time to the minute; one home for the console and the field app.
const chinaMinute: Intl.DateTimeFormatOptions = {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
};
const dateTime = new Intl.DateTimeFormat("zh-CN", { ...chinaMinute, hour12: false });

export function formatTime(value: string | Date | Timestamp | undefined): string {
  if (value === undefined) return "—";
  const date = typeof value === "string" ? new Date(value) : value instanceof Date ? value : timestampDate(value);
  return Number.isNaN(date.getTime()) ? "—" : dateTime.format(date);
}

const ymdHm = new Intl.DateTimeFormat("en-CA", { ...chinaMinute, second: "2-digit", hourCycle: "h23" });

function toDate(value: string | Date | Timestamp): Date {
  return typeof value === "string" ? new Date(value) : value instanceof Date ? value : timestampDate(value);
}

// A deadline as people write it, the rule of base/dates.h: a deadline
// counted in days ends at the next day's midnight in China time and is
// written as its last day, 「2027-01-04」, never 「2027-01-05 00:00」; one that
// ends inside a day (an hours-based clock) keeps its minute,
// 「2027-01-04 09:30」.
export function formatDue(value: string | Date | Timestamp | undefined): string {
  if (value === undefined) return "—";
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return "—";
  const part = (d: Date) => Object.fromEntries(ymdHm.formatToParts(d).map((p) => [p.type, p.value]));
  const p = part(date);
  if (p.hour === "00" && p.minute === "00" && p.second === "00" && date.getMilliseconds() === 0) {
    const day = part(new Date(date.getTime() - 1));
    return `${day.year}-${day.month}-${day.day}`;
  }
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

// The instant a day picked in a form (YYYY-MM-DD, China time) ends: the next
// day's midnight, as the server's day-counted deadlines end (formatDue
// writes it back as that day).
export function endOfDay(day: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00+08:00`);
  return Number.isNaN(start.getTime()) ? undefined : new Date(start.getTime() + 86_400_000);
}

// The words of stores written before the policy's bases were Chinese.
const legacyBases: Record<string, string> = {
  "default rectification period": "默认整改期限",
  "receipt at once; flagged after 24 hours": "移送后应即签收，逾24小时提示",
  "supervision within 3 days of the reconsideration": "复议决定后3日内提请检察监督",
  "police explanation to the procuratorate": "公安机关向检察院说明不立案理由",
};

// A deadline rule's basis (计算依据) in Chinese: the policy's basis as the
// server recorded it (Chinese, config/policy_default.txt); a date a person
// set reads 「指定期限」 (the server records who, in English, for operators),
// a granted extension 「批准延期」.
export function basisText(rule: { unit: number; basis: string }): string {
  if (rule.unit === DeadlineUnit.FIXED || rule.basis.startsWith("set by ") || rule.basis.startsWith("extension ")) {
    return rule.basis.startsWith("extension ") ? "批准延期" : "指定期限";
  }
  const legacy = /^(.*) \(policy (.*)\)$/.exec(rule.basis);
  if (legacy && legacyBases[legacy[1]] !== undefined) {
    return `${legacyBases[legacy[1]]}（${legacy[2] === "default" ? "默认期限配置" : `期限配置：${legacy[2]}`}）`;
  }
  if (legacy) return `${legacy[1]}（${legacy[2] === "default" ? "默认期限配置" : `期限配置：${legacy[2]}`}）`;
  return rule.basis;
}

// The time left to a due instant the server computed, in words: 「剩余 3 天 4 小时」
// or 「已逾期 2 天」.
export function countdown(due: Date, now: Date): { text: string; overdue: boolean } {
  const ms = due.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = days > 0 ? `${days} 天 ${hours} 小时` : `${Math.max(hours, 0)} 小时`;
  return ms >= 0 ? { text: `剩余 ${span}`, overdue: false } : { text: `已逾期 ${span}`, overdue: true };
}

// The working days left on a deadline as the server counted them
// (rectify.v1.DeadlineCountdown, GetCase and ListCases): 「剩余 3 个工作日」,
// 「今日到期」 on its last day, 「已逾期 2 个工作日」; with the last day,
// 「（截止 2026-05-07）」. The page counts nothing itself.
export interface ServerCountdown {
  overdue: boolean;
  workingDaysLeft: number;
  calendarDaysLeft: number;
  lastDay: string;
}

export function workingDaysText(c: ServerCountdown): { text: string; overdue: boolean } {
  const until = c.lastDay ? `（截止 ${c.lastDay}）` : "";
  if (c.overdue) {
    const late = -c.workingDaysLeft;
    return { text: late > 0 ? `已逾期 ${late} 个工作日${until}` : `已逾期${until}`, overdue: true };
  }
  if (c.workingDaysLeft > 0) return { text: `剩余 ${c.workingDaysLeft} 个工作日${until}`, overdue: false };
  return { text: c.calendarDaysLeft === 0 ? `今日到期${until}` : `剩余不足 1 个工作日${until}`, overdue: false };
}

// A position as the pages show it: "38.432100, 100.812300（精度约 12 米）";
// the accuracy only when recorded (GeoPoint.accuracy_m; 0 is unknown or a
// hand-placed pin).
export function pointText(point: { latitude: number; longitude: number; accuracyM?: number } | undefined): string {
  if (!point) return "";
  const where = `${point.latitude.toFixed(6)}, ${point.longitude.toFixed(6)}`;
  return point.accuracyM ? `${where}（精度约 ${Math.round(point.accuracyM)} 米）` : where;
}
