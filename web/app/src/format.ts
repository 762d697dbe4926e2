// Dates and countdowns as a user in China reads them.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

const dateTime = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

export function formatTime(value: string | Date | Timestamp | undefined): string {
  if (value === undefined) return "—";
  const date = typeof value === "string" ? new Date(value) : value instanceof Date ? value : timestampDate(value);
  return Number.isNaN(date.getTime()) ? "—" : dateTime.format(date);
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
