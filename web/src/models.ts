import { useEffect, useState } from 'preact/hooks';
import { api, type Item } from './api';

/** A served model with its IDR prices, as `GET /pricing` lists it. */
export type PublicModel = Item<'GET /pricing'>;

/** The models of one kind, with that kind's fields (sizes, durations) and prices. */
export type ModelOf<K extends PublicModel['kind']> = Extract<PublicModel, { kind: K }>;

export function modelsOf<K extends PublicModel['kind']>(models: PublicModel[] | null, kind: K): ModelOf<K>[] {
  return (models ?? []).filter((m): m is ModelOf<K> => m.kind === kind);
}

let cache: Promise<PublicModel[]> | undefined;

/** The served models with IDR prices, from the public price list (fetched once per page load). */
export function useModels(): PublicModel[] | null {
  const [models, setModels] = useState<PublicModel[] | null>(null);
  useEffect(() => {
    cache ??= api('GET /pricing', { query: { format: 'json' } }).then((r) => r.data);
    void cache.then(setModels);
  }, []);
  return models;
}
