// A class-based client wrapper, as services folders have them: one instance shared by the module.
export class FxClient {
  constructor(private readonly baseUrl: string) {}

  async rate(currency: string): Promise<number> {
    const res = await this.get(`/rates/${currency}`);
    return Number(res);
  }

  private async get(path: string): Promise<string> {
    const res = await fetch(this.baseUrl + path);
    return res.text();
  }
}

export const fx = new FxClient("https://fx.example.com");
