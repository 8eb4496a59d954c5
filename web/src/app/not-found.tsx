import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="grid min-h-screen place-items-center px-4 text-center">
      <div>
        <p className="label">404</p>
        <h1 className="font-serif text-3xl">There is nothing here</h1>
        <Link href="/" className="btn-primary mt-6">
          Back to the studio
        </Link>
      </div>
    </main>
  );
}
