// Plain helpers, as a services folder's utils/ holds them: no Restate import.
import { writeFile } from "node:fs/promises";

export async function getFxRate(currency: string): Promise<number> {
  const res = await fetch(`https://fx.example.com/${currency}`);
  return Number(await res.text());
}

export const audit = async (line: string) => {
  await writeFile("/tmp/audit.log", line);
};

export function round(amount: number): number {
  return Math.round(amount * 100) / 100;
}

export class Ledger {
  async record(amount: number) {
    await this.persist(String(amount));
  }
  private async persist(line: string) {
    await audit(line);
  }
}
