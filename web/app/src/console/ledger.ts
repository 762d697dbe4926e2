// Downloads a CSV ledger the server writes (ExportLedger: UTF-8 with a
// byte-order mark) as a file, by a list or by a case filter. The bytes are
// the server's, untouched.
import type { CaseFilter } from "../gen/rectify/v1/case_service_pb";
import { supervision } from "./clients";

export async function downloadLedger(
  selection: { case: "listId"; value: string } | { case: "filter"; value: CaseFilter },
  fileName: string,
): Promise<void> {
  const parts: Uint8Array[] = [];
  for await (const message of supervision.exportLedger({ selection })) parts.push(message.chunk);
  const blob = new Blob(parts, { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
