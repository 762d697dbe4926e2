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
