using MathNet.Numerics.Integration;

namespace E2EDeploy.Shared.Geometry;

/// <summary>
/// A convex polygon in the plane, m, with its vertices in counter-clockwise or clockwise order: the support of a uniform
/// position prior (the area P cut by the BSs' angular regions) and the overlaps that the position Ziv-Zakai bound
/// integrates over. Immutable.
/// </summary>
public sealed class ConvexPolygon
{
    private readonly PlanePoint[] vertices;

    private ConvexPolygon(PlanePoint[] vertices)
    {
        this.vertices = vertices;
    }

    /// <summary>The vertices, m.</summary>
    public IReadOnlyList<PlanePoint> Vertices => vertices;

    /// <summary>Whether the polygon has no area.</summary>
    public bool IsEmpty => vertices.Length < 3 || !(Area > 0);

    /// <summary>The area, m^2.</summary>
    public double Area
    {
        get
        {
            double twice = 0;
            for (int k = 0; k < vertices.Length; k++)
            {
                PlanePoint a = vertices[k], b = vertices[(k + 1) % vertices.Length];
                twice += (a.X * b.Y) - (b.X * a.Y);
            }

            return 0.5 * Math.Abs(twice);
        }
    }

    /// <summary>The rectangle [minX, maxX] x [minY, maxY], m.</summary>
    public static ConvexPolygon Rectangle(double minX, double maxX, double minY, double maxY) =>
        new([new(minX, minY), new(maxX, minY), new(maxX, maxY), new(minX, maxY)]);

    /// <summary>The part where normal . p &lt;= offset (Sutherland-Hodgman).</summary>
    public ConvexPolygon Clip(double normalX, double normalY, double offset)
    {
        var kept = new List<PlanePoint>(vertices.Length + 1);
        for (int k = 0; k < vertices.Length; k++)
        {
            PlanePoint a = vertices[k], b = vertices[(k + 1) % vertices.Length];
            double da = (normalX * a.X) + (normalY * a.Y) - offset;
            double db = (normalX * b.X) + (normalY * b.Y) - offset;
            if (da <= 0)
            {
                kept.Add(a);
            }

            if ((da < 0 && db > 0) || (da > 0 && db < 0))
            {
                double s = da / (da - db);
                kept.Add(new PlanePoint(a.X + (s * (b.X - a.X)), a.Y + (s * (b.Y - a.Y))));
            }
        }

        return new ConvexPolygon([.. kept]);
    }

    /// <summary>The polygon moved by (dx, dy), m.</summary>
    public ConvexPolygon Translate(double dx, double dy) => new(vertices.Select(v => new PlanePoint(v.X + dx, v.Y + dy)).ToArray());

    /// <summary>The intersection with another convex polygon.</summary>
    public ConvexPolygon Intersect(ConvexPolygon other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return new ConvexPolygon([]);
        }

        // Clip by each edge of the other, with its inside on the side of its centroid.
        PlanePoint centre = other.Centroid();
        ConvexPolygon result = this;
        for (int k = 0; k < other.vertices.Length && !result.IsEmpty; k++)
        {
            PlanePoint a = other.vertices[k], b = other.vertices[(k + 1) % other.vertices.Length];
            double nx = b.Y - a.Y, ny = a.X - b.X;
            double offset = (nx * a.X) + (ny * a.Y);
            if ((nx * centre.X) + (ny * centre.Y) > offset)
            {
                (nx, ny, offset) = (-nx, -ny, -offset);
            }

            result = result.Clip(nx, ny, offset);
        }

        return result;
    }

    /// <summary>Whether <paramref name="point"/> lies inside or on the boundary: on the same side of every edge.</summary>
    public bool Contains(PlanePoint point)
    {
        int sign = 0;
        for (int k = 0; k < vertices.Length; k++)
        {
            PlanePoint a = vertices[k], b = vertices[(k + 1) % vertices.Length];
            double cross = ((b.X - a.X) * (point.Y - a.Y)) - ((b.Y - a.Y) * (point.X - a.X));
            int s = cross > 0 ? 1 : cross < 0 ? -1 : 0;
            if (s != 0)
            {
                if (sign != 0 && s != sign)
                {
                    return false;
                }

                sign = s;
            }
        }

        return vertices.Length >= 3;
    }

    /// <summary>The mean of the vertices (inside, as the polygon is convex).</summary>
    public PlanePoint Centroid() => new(vertices.Average(v => v.X), vertices.Average(v => v.Y));

    /// <summary>
    /// A quadrature rule over the polygon: each triangle of a fan from the first vertex by the collapsed (Duffy) product of
    /// two <paramref name="order"/>-point Gauss-Legendre rules; the weights sum to the area. Exact for polynomials of degree
    /// 2 order - 2.
    /// </summary>
    public (PlanePoint Point, double Weight)[] Quadrature(int order)
    {
        if (IsEmpty)
        {
            return [];
        }

        var rule = new GaussLegendreRule(0, 1, order);
        var nodes = new List<(PlanePoint, double)>();
        PlanePoint a = vertices[0];
        for (int k = 1; k + 1 < vertices.Length; k++)
        {
            PlanePoint b = vertices[k], c = vertices[k + 1];
            double twiceArea = Math.Abs(((b.X - a.X) * (c.Y - a.Y)) - ((c.X - a.X) * (b.Y - a.Y)));
            for (int i = 0; i < order; i++)
            {
                double u = rule.Abscissas[i];
                for (int j = 0; j < order; j++)
                {
                    double v = rule.Abscissas[j];
                    double x = a.X + (u * ((b.X - a.X) + (v * (c.X - b.X))));
                    double y = a.Y + (u * ((b.Y - a.Y) + (v * (c.Y - b.Y))));
                    nodes.Add((new PlanePoint(x, y), rule.Weights[i] * rule.Weights[j] * u * twiceArea));
                }
            }
        }

        return [.. nodes];
    }
}
