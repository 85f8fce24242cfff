import { byCategory } from '../format';
import { ErrorBox, Loading, PageHeader, loadCatalog, useLoad } from '../ui';

export function CatalogPage() {
  const catalog = useLoad(loadCatalog, []);
  return (
    <div>
      <PageHeader title="Event Catalog" intro="Every event type you can subscribe to, by category, with its JSON Schema and a sample payload." />
      <ErrorBox error={catalog.error} />
      {catalog.loading && !catalog.data ? <Loading what="the catalog" /> : null}
      {catalog.data
        ? byCategory(catalog.data).map(([category, types]) => (
            <section class="category" key={category} aria-labelledby={`cat-${category}`} data-category={category}>
              <h2 id={`cat-${category}`}>{category}</h2>
              <ul class="catalog-list">
                {types.map((t) => (
                  <li class="card event-type" key={t.type} data-type={t.type}>
                    <h3>
                      <code>{t.type}</code>
                    </h3>
                    <p>{t.description}</p>
                    <span class="tag">{t.category}</span>
                    <details>
                      <summary>Schema</summary>
                      <pre tabIndex={0}>{JSON.stringify(t.schema, null, 2)}</pre>
                    </details>
                    <details>
                      <summary>Sample</summary>
                      <pre tabIndex={0}>{JSON.stringify(t.sample, null, 2)}</pre>
                    </details>
                    <a class="btn btn-small" href={`#/simulator?event=${encodeURIComponent(t.type)}`}>
                      Try it in the simulator
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ))
        : null}
    </div>
  );
}
