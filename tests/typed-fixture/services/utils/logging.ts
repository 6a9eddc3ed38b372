// Plain logging helpers, as a services folder's utils/ holds them: no Restate import.
export function logEvent(event: string, data: unknown): void {
  console.info(JSON.stringify({ event, data }));
}

export class AuditLog {
  write(line: string): void {
    this.emit(`[audit] ${line}`);
  }
  private emit(text: string): void {
    console.log(text);
  }
}
