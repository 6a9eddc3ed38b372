// Typed rule tests lint their code as if it were this file.
export {};
