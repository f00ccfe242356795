import { useEffect, useState } from 'preact/hooks';

export interface PublicModel {
  id: string;
  kind: 'chat' | 'image' | 'video';
  name: string;
  price: Record<string, number>;
  providers: string[];
  /** Image and video models: the sizes they make. */
  sizes?: string[];
  /** Video models: the lengths (seconds) they make. */
  durations?: number[];
}

let cache: Promise<PublicModel[]> | undefined;

/** The served models with IDR prices, from the public price list (fetched once per page load). */
export function useModels(): PublicModel[] | null {
  const [models, setModels] = useState<PublicModel[] | null>(null);
  useEffect(() => {
    cache ??= fetch('/pricing?format=json', { headers: { accept: 'application/json' } })
      .then((r) => r.json())
      .then((r: { data: PublicModel[] }) => r.data);
    void cache.then(setModels);
  }, []);
  return models;
}
